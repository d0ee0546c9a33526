/**
 * One entry of a catalogue: a text with `{name}` placeholders, or a text per plural category
 * (chosen with `Intl.PluralRules` from the `count` parameter; `other` is always there).
 */
export type Message = string | PluralMessage;

/** Texts per plural category of the locale; English uses `one` and `other`, Chinese `other`. */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/** A set of messages by key; the English catalogue's keys are the ones every locale must have. */
export type Catalogue = Readonly<Record<string, Message>>;

/** A translation of `TSource`: every one of its keys, no other (a missing key fails typecheck). */
export type TranslationOf<TSource extends Catalogue> = { readonly [Key in keyof TSource]: Message };

/** The values a message's placeholders take. */
export type MessageParams = Readonly<Record<string, string | number>>;
