import { z } from 'zod';

/**
 * The public widget: a pipeline an admin marked public can be embedded on other web sites,
 * where anonymous visitors chat with it, each in a conversation of its own.
 */

/** An allowed embedding origin: `scheme://host[:port]`, no path. */
export const widgetOriginSchema = z
  .string()
  .max(200)
  .regex(
    /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$/i,
    'an origin is scheme://host[:port], for example https://shop.example.com, with no path',
  );

/** Abuse limits of a public pipeline, per visitor and per client IP address. */
export const widgetLimitsSchema = z.object({
  /** Chat messages a visitor may send per minute. */
  messages_per_minute_per_visitor: z.number().int().min(1).max(10_000),
  /** Chat messages all visitors behind one IP address may send per minute. */
  messages_per_minute_per_ip: z.number().int().min(1).max(100_000),
  /** WebSocket connections one visitor may hold open at once. */
  connections_per_visitor: z.number().int().min(1).max(1_000),
  /** WebSocket connections all visitors behind one IP address may hold open at once. */
  connections_per_ip: z.number().int().min(1).max(100_000),
  /** New visitor tokens one IP address may get per minute (stops minting visitors to dodge limits). */
  new_visitors_per_minute_per_ip: z.number().int().min(1).max(100_000),
  /** Messages (the visitor's and the bot's) a visitor conversation may hold; reset starts over. */
  max_conversation_messages: z.number().int().min(2).max(100_000),
  /** Whether visitors may join the pipeline's group conversations (shared with everyone). */
  allow_group: z.boolean(),
  /** Images a visitor may upload per minute (`POST /api/v1/widget/images`). */
  image_uploads_per_minute_per_visitor: z.number().int().min(1).max(10_000),
  /** Whether visitors may send images; off refuses uploads and image messages. */
  allow_images: z.boolean(),
});
export type WidgetLimits = z.infer<typeof widgetLimitsSchema>;

/** The limits a pipeline gets when it is first made public. */
export const DEFAULT_WIDGET_LIMITS: WidgetLimits = {
  messages_per_minute_per_visitor: 10,
  messages_per_minute_per_ip: 60,
  connections_per_visitor: 3,
  connections_per_ip: 30,
  new_visitors_per_minute_per_ip: 10,
  max_conversation_messages: 200,
  allow_group: false,
  image_uploads_per_minute_per_visitor: 5,
  allow_images: true,
};

/** A pipeline's public settings as an admin sees them. */
export const widgetSettingsSchema = z.object({
  pipeline_uuid: z.string(),
  /** Whether visitors may chat; off refuses new tokens and closes nothing already issued. */
  public: z.boolean(),
  /** The publishable key the embed tag carries; not a secret, rotatable. */
  widget_key: z.string(),
  allowed_origins: z.array(widgetOriginSchema),
  limits: widgetLimitsSchema,
  updated_at: z.string(),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** `PATCH /api/v1/pipelines/:uuid/widget`: any subset; limits merge with the stored ones. */
export const updateWidgetSettingsBodySchema = z
  .object({
    public: z.boolean().optional(),
    allowed_origins: z.array(widgetOriginSchema).max(50).optional(),
    limits: widgetLimitsSchema.partial().optional(),
  })
  .strict();
export type UpdateWidgetSettingsBody = z.infer<typeof updateWidgetSettingsBodySchema>;

export const widgetSettingsDataSchema = z.object({ widget: widgetSettingsSchema });

/** `POST /api/v1/widget/visitors`: a visitor token for a public pipeline. */
export const createVisitorBodySchema = z
  .object({
    pipeline_uuid: z.string().min(1).max(100),
    widget_key: z.string().max(200).optional(),
    /** A still valid token of the same visitor: the new one keeps its visitor id (rotation). */
    previous_token: z.string().max(1_000).optional(),
  })
  .strict();
export type CreateVisitorBody = z.infer<typeof createVisitorBodySchema>;

export const visitorTokenDataSchema = z.object({
  token: z.string(),
  visitor_id: z.string(),
  pipeline_uuid: z.string(),
  expires_at: z.string(),
  /** The limits the widget should know to explain refusals. */
  limits: widgetLimitsSchema,
});
export type VisitorTokenData = z.infer<typeof visitorTokenDataSchema>;
