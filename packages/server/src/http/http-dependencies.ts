import type { AdapterRegistry } from '../adapters/adapter-registry.js';
import type { PlatformAdapter } from '../pipelines/platform-adapter.js';
import type { AuthService } from '../auth/auth-service.js';
import type { ClusterControl } from '../cluster/cluster-control.js';
import type { Config } from '../config/config.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import type { ConversationService } from '../pipelines/conversation-service.js';
import type { ImageService } from '../images/image-service.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PipelineService } from '../pipelines/pipeline-service.js';
import type { Store } from '../storage/store.js';
import type { WidgetService } from '../widget/widget-service.js';

/** What the REST routes need from the rest of the server. */
export interface HttpDependencies {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  auth: AuthService;
  pipelines: PipelineService;
  conversations: ConversationService;
  connections: ConnectionManager;
  /** Public pipelines: widget settings, visitor tokens, visitor limits. */
  widgets: WidgetService;
  adapters: AdapterRegistry;
  /** Uploaded images: the upload and image routes. */
  images: ImageService;
  /** The adapter broadcasts go through. */
  chatAdapter: PlatformAdapter;
  /** Broadcasts, connection listings and disconnects across the nodes of a cluster. */
  cluster: ClusterControl;
  /** Whether the server is taking traffic (false while shutting down). */
  isReady: () => boolean;
}
