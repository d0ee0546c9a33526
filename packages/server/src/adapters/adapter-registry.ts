import type { AdapterManifest, PlatformAdapter } from '../pipelines/platform-adapter.js';

/** A bot: a named binding of an adapter through which pipelines talk to users. */
export interface Bot {
  uuid: string;
  name: string;
  adapter: PlatformAdapter;
}

export { WEBSOCKET_PROXY_BOT_UUID } from '../pipelines/proxy-bot.js';

/** The adapters this server has, and the bots created from them. */
export class AdapterRegistry {
  private readonly adapters = new Map<string, PlatformAdapter>();
  private readonly bots = new Map<string, Bot>();

  register(adapter: PlatformAdapter): void {
    if (this.adapters.has(adapter.manifest.name)) {
      throw new Error(`An adapter named ${adapter.manifest.name} is already registered.`);
    }
    this.adapters.set(adapter.manifest.name, adapter);
  }

  /** Creates a bot bound to a registered adapter. */
  createBot(options: { uuid: string; name: string; adapterName: string }): Bot {
    const adapter = this.adapters.get(options.adapterName);
    if (adapter === undefined)
      throw new Error(`No adapter named ${options.adapterName} is registered.`);
    const bot: Bot = { uuid: options.uuid, name: options.name, adapter };
    this.bots.set(bot.uuid, bot);
    return bot;
  }

  getBot(uuid: string): Bot | undefined {
    return this.bots.get(uuid);
  }

  /** Manifests users may pick from; built-in adapters are left out. */
  listUserFacing(): AdapterManifest[] {
    return [...this.adapters.values()]
      .map((adapter) => adapter.manifest)
      .filter((manifest) => !manifest.builtIn);
  }
}
