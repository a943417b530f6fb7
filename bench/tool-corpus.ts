/**
 * A realistic tool catalog for measuring tool definitions: 20 servers × 25 tools, shaped like the
 * MCP servers people connect (GitHub, Slack, Jira, Postgres…). Each server has five kinds of
 * thing and five operations on each (list, get, create, update, delete), with descriptions of
 * the length and style real servers write (what it does, when to use it, what it returns) and
 * input schemas with described properties, enums, defaults and pagination.
 *
 * @module
 */

export interface CorpusTool {
  name: string
  description: string
  inputSchema: Record<string, unknown>
  annotations?: Record<string, unknown>
}

export interface CorpusServer {
  name: string
  tools: CorpusTool[]
}

type Field = [
  name: string,
  type: 'string' | 'integer' | 'boolean' | 'array',
  description: string,
  values?: string[],
]

interface Kind {
  one: string
  many: string
  fields: Field[]
}

const SERVERS: { name: string; product: string; scope: Field; kinds: Kind[] }[] = [
  {
    name: 'github',
    product: 'GitHub',
    scope: ['repo', 'string', 'Repository as owner/name, e.g. "octocat/hello-world"'],
    kinds: [
      {
        one: 'issue',
        many: 'issues',
        fields: [
          ['title', 'string', 'Issue title'],
          ['body', 'string', 'Issue body in GitHub-flavoured Markdown'],
          ['labels', 'array', 'Label names to apply'],
          ['state', 'string', 'Issue state', ['open', 'closed']],
        ],
      },
      {
        one: 'pull request',
        many: 'pull requests',
        fields: [
          ['title', 'string', 'Pull request title'],
          ['head', 'string', 'Branch that contains the changes'],
          ['base', 'string', 'Branch to merge into, e.g. "main"'],
          ['draft', 'boolean', 'Open as a draft pull request'],
        ],
      },
      {
        one: 'branch',
        many: 'branches',
        fields: [
          ['branch', 'string', 'Branch name'],
          ['from', 'string', 'Commit SHA or branch to start from'],
          ['protected', 'boolean', 'Whether the branch is protected'],
        ],
      },
      {
        one: 'release',
        many: 'releases',
        fields: [
          ['tag', 'string', 'Git tag of the release, e.g. "v1.2.0"'],
          ['notes', 'string', 'Release notes in Markdown'],
          ['prerelease', 'boolean', 'Mark as a pre-release'],
        ],
      },
      {
        one: 'workflow run',
        many: 'workflow runs',
        fields: [
          ['workflow', 'string', 'Workflow file name or id'],
          ['ref', 'string', 'Git ref to run on'],
          ['status', 'string', 'Run status', ['queued', 'in_progress', 'completed']],
        ],
      },
    ],
  },
  {
    name: 'slack',
    product: 'Slack',
    scope: ['workspace', 'string', 'Workspace id (T…); the default workspace when omitted'],
    kinds: [
      {
        one: 'message',
        many: 'messages',
        fields: [
          ['channel', 'string', 'Channel id (C…) or name with #'],
          ['text', 'string', 'Message text in Slack mrkdwn'],
          ['thread_ts', 'string', 'Timestamp of the parent message to reply in its thread'],
        ],
      },
      {
        one: 'channel',
        many: 'channels',
        fields: [
          ['name', 'string', 'Channel name, lowercase, without #'],
          ['is_private', 'boolean', 'Create a private channel'],
          ['topic', 'string', 'Channel topic'],
        ],
      },
      {
        one: 'reminder',
        many: 'reminders',
        fields: [
          ['text', 'string', 'What to be reminded of'],
          ['time', 'string', 'When, as a Unix timestamp or natural language ("in 15 minutes")'],
          ['user', 'string', 'User id to remind'],
        ],
      },
      {
        one: 'user group',
        many: 'user groups',
        fields: [
          ['handle', 'string', 'Mention handle, e.g. "oncall"'],
          ['users', 'array', 'User ids in the group'],
          ['description', 'string', 'What the group is for'],
        ],
      },
      {
        one: 'bookmark',
        many: 'bookmarks',
        fields: [
          ['channel', 'string', 'Channel id'],
          ['title', 'string', 'Bookmark title'],
          ['link', 'string', 'URL the bookmark opens'],
        ],
      },
    ],
  },
  {
    name: 'jira',
    product: 'Jira',
    scope: ['project', 'string', 'Project key, e.g. "OPS"'],
    kinds: [
      {
        one: 'ticket',
        many: 'tickets',
        fields: [
          ['summary', 'string', 'One-line summary'],
          ['description', 'string', 'Description in Atlassian wiki markup'],
          ['priority', 'string', 'Priority', ['Highest', 'High', 'Medium', 'Low', 'Lowest']],
          ['assignee', 'string', 'Account id of the assignee'],
        ],
      },
      {
        one: 'sprint',
        many: 'sprints',
        fields: [
          ['name', 'string', 'Sprint name'],
          ['start_date', 'string', 'Start date (ISO 8601)'],
          ['end_date', 'string', 'End date (ISO 8601)'],
          ['goal', 'string', 'Sprint goal'],
        ],
      },
      {
        one: 'comment',
        many: 'comments',
        fields: [
          ['issue_key', 'string', 'Issue key, e.g. "OPS-42"'],
          ['body', 'string', 'Comment text'],
          ['visibility', 'string', 'Restrict to a role or group'],
        ],
      },
      {
        one: 'version',
        many: 'versions',
        fields: [
          ['name', 'string', 'Version name, e.g. "2024.3"'],
          ['release_date', 'string', 'Planned release date'],
          ['released', 'boolean', 'Whether it is released'],
        ],
      },
      {
        one: 'board',
        many: 'boards',
        fields: [
          ['name', 'string', 'Board name'],
          ['type', 'string', 'Board type', ['scrum', 'kanban']],
          ['filter_id', 'integer', 'Saved filter the board shows'],
        ],
      },
    ],
  },
  {
    name: 'postgres',
    product: 'PostgreSQL',
    scope: ['database', 'string', 'Database name; the connection default when omitted'],
    kinds: [
      {
        one: 'table',
        many: 'tables',
        fields: [
          ['schema', 'string', 'Schema name, default "public"'],
          ['table', 'string', 'Table name'],
          ['columns', 'array', 'Column definitions as "name type [constraints]"'],
        ],
      },
      {
        one: 'index',
        many: 'indexes',
        fields: [
          ['table', 'string', 'Table to index'],
          ['columns', 'array', 'Indexed columns in order'],
          ['unique', 'boolean', 'Create a unique index'],
        ],
      },
      {
        one: 'view',
        many: 'views',
        fields: [
          ['name', 'string', 'View name'],
          ['query', 'string', 'SELECT statement the view runs'],
          ['materialized', 'boolean', 'Create a materialized view'],
        ],
      },
      {
        one: 'role',
        many: 'roles',
        fields: [
          ['role', 'string', 'Role name'],
          ['login', 'boolean', 'Whether the role can log in'],
          ['grants', 'array', 'Privileges such as "SELECT ON ALL TABLES IN SCHEMA public"'],
        ],
      },
      {
        one: 'saved query',
        many: 'saved queries',
        fields: [
          ['name', 'string', 'Name to save it under'],
          ['sql', 'string', 'Read-only SQL to run'],
          ['timeout_ms', 'integer', 'Statement timeout in milliseconds'],
        ],
      },
    ],
  },
  {
    name: 'filesystem',
    product: 'the local file system',
    scope: ['root', 'string', 'One of the allowed root directories'],
    kinds: [
      {
        one: 'file',
        many: 'files',
        fields: [
          ['path', 'string', 'Path relative to the root'],
          ['content', 'string', 'Text content, UTF-8'],
          ['encoding', 'string', 'How content is encoded', ['utf8', 'base64']],
        ],
      },
      {
        one: 'directory',
        many: 'directories',
        fields: [
          ['path', 'string', 'Directory path relative to the root'],
          ['recursive', 'boolean', 'Include subdirectories'],
        ],
      },
      {
        one: 'symlink',
        many: 'symlinks',
        fields: [
          ['path', 'string', 'Where the link is created'],
          ['target', 'string', 'What the link points to'],
        ],
      },
      {
        one: 'archive',
        many: 'archives',
        fields: [
          ['path', 'string', 'Archive path (.zip or .tar.gz)'],
          ['sources', 'array', 'Files and directories to include'],
          ['format', 'string', 'Archive format', ['zip', 'tar.gz']],
        ],
      },
      {
        one: 'watch',
        many: 'watches',
        fields: [
          ['path', 'string', 'File or directory to watch'],
          ['events', 'array', 'Events to report: create, change, delete'],
        ],
      },
    ],
  },
  {
    name: 'gmail',
    product: 'Gmail',
    scope: ['account', 'string', 'Email address of the connected account'],
    kinds: [
      {
        one: 'email',
        many: 'emails',
        fields: [
          ['to', 'array', 'Recipient addresses'],
          ['subject', 'string', 'Subject line'],
          ['body', 'string', 'Body as plain text or HTML'],
          ['cc', 'array', 'CC addresses'],
        ],
      },
      {
        one: 'draft',
        many: 'drafts',
        fields: [
          ['to', 'array', 'Recipient addresses'],
          ['subject', 'string', 'Subject line'],
          ['body', 'string', 'Draft body'],
        ],
      },
      {
        one: 'label',
        many: 'labels',
        fields: [
          ['name', 'string', 'Label name; nested labels use "/"'],
          ['color', 'string', 'Background colour as hex'],
        ],
      },
      {
        one: 'filter',
        many: 'filters',
        fields: [
          ['from', 'string', 'Match mail from this sender'],
          ['has_words', 'string', 'Match mail containing these words'],
          ['add_label', 'string', 'Label to apply to matches'],
        ],
      },
      {
        one: 'thread',
        many: 'threads',
        fields: [
          ['query', 'string', 'Gmail search query, e.g. "from:boss is:unread"'],
          ['label', 'string', 'Only threads with this label'],
        ],
      },
    ],
  },
  {
    name: 'calendar',
    product: 'Google Calendar',
    scope: ['calendar_id', 'string', 'Calendar id; "primary" for the main calendar'],
    kinds: [
      {
        one: 'event',
        many: 'events',
        fields: [
          ['summary', 'string', 'Event title'],
          ['start', 'string', 'Start time (RFC 3339)'],
          ['end', 'string', 'End time (RFC 3339)'],
          ['attendees', 'array', 'Attendee email addresses'],
        ],
      },
      {
        one: 'calendar',
        many: 'calendars',
        fields: [
          ['summary', 'string', 'Calendar name'],
          ['time_zone', 'string', 'IANA time zone, e.g. "Europe/Berlin"'],
        ],
      },
      {
        one: 'availability window',
        many: 'availability windows',
        fields: [
          ['emails', 'array', 'People whose busy times to check'],
          ['from', 'string', 'Start of the window'],
          ['to', 'string', 'End of the window'],
        ],
      },
      {
        one: 'reminder rule',
        many: 'reminder rules',
        fields: [
          ['method', 'string', 'How to remind', ['email', 'popup']],
          ['minutes', 'integer', 'Minutes before the event'],
        ],
      },
      {
        one: 'room booking',
        many: 'room bookings',
        fields: [
          ['room', 'string', 'Room resource email'],
          ['start', 'string', 'Start time'],
          ['end', 'string', 'End time'],
        ],
      },
    ],
  },
  {
    name: 'notion',
    product: 'Notion',
    scope: ['workspace', 'string', 'Workspace id'],
    kinds: [
      {
        one: 'page',
        many: 'pages',
        fields: [
          ['parent_id', 'string', 'Parent page or database id'],
          ['title', 'string', 'Page title'],
          ['content', 'string', 'Page content in Markdown'],
        ],
      },
      {
        one: 'database',
        many: 'databases',
        fields: [
          ['title', 'string', 'Database title'],
          ['properties', 'array', 'Property definitions as "name:type"'],
        ],
      },
      {
        one: 'database row',
        many: 'database rows',
        fields: [
          ['database_id', 'string', 'Database id'],
          ['properties', 'array', 'Values as "property=value"'],
        ],
      },
      {
        one: 'block',
        many: 'blocks',
        fields: [
          ['page_id', 'string', 'Page to add to'],
          ['type', 'string', 'Block type', ['paragraph', 'heading_1', 'to_do', 'code', 'quote']],
          ['text', 'string', 'Block text'],
        ],
      },
      {
        one: 'comment',
        many: 'comments',
        fields: [
          ['page_id', 'string', 'Page id'],
          ['text', 'string', 'Comment text'],
        ],
      },
    ],
  },
  {
    name: 'linear',
    product: 'Linear',
    scope: ['team', 'string', 'Team key, e.g. "ENG"'],
    kinds: [
      {
        one: 'issue',
        many: 'issues',
        fields: [
          ['title', 'string', 'Issue title'],
          ['description', 'string', 'Markdown description'],
          ['priority', 'integer', 'Priority 0 (none) to 4 (low)'],
          ['state', 'string', 'Workflow state name'],
        ],
      },
      {
        one: 'project',
        many: 'projects',
        fields: [
          ['name', 'string', 'Project name'],
          ['target_date', 'string', 'Target date'],
          ['lead', 'string', 'User id of the lead'],
        ],
      },
      {
        one: 'cycle',
        many: 'cycles',
        fields: [
          ['starts_at', 'string', 'Start date'],
          ['ends_at', 'string', 'End date'],
        ],
      },
      {
        one: 'label',
        many: 'labels',
        fields: [
          ['name', 'string', 'Label name'],
          ['color', 'string', 'Hex colour'],
        ],
      },
      {
        one: 'document',
        many: 'documents',
        fields: [
          ['title', 'string', 'Document title'],
          ['content', 'string', 'Markdown content'],
          ['project_id', 'string', 'Project it belongs to'],
        ],
      },
    ],
  },
  {
    name: 'sentry',
    product: 'Sentry',
    scope: ['organization', 'string', 'Organization slug'],
    kinds: [
      {
        one: 'issue',
        many: 'issues',
        fields: [
          ['project', 'string', 'Project slug'],
          ['status', 'string', 'Issue status', ['unresolved', 'resolved', 'ignored']],
          ['assigned_to', 'string', 'User or team to assign'],
        ],
      },
      {
        one: 'alert rule',
        many: 'alert rules',
        fields: [
          ['project', 'string', 'Project slug'],
          ['name', 'string', 'Rule name'],
          ['threshold', 'integer', 'Events per hour that trigger it'],
        ],
      },
      {
        one: 'release',
        many: 'releases',
        fields: [
          ['version', 'string', 'Release version'],
          ['projects', 'array', 'Project slugs'],
          ['ref', 'string', 'Commit SHA'],
        ],
      },
      {
        one: 'project',
        many: 'projects',
        fields: [
          ['name', 'string', 'Project name'],
          ['platform', 'string', 'Platform, e.g. "node" or "python"'],
        ],
      },
      {
        one: 'dashboard',
        many: 'dashboards',
        fields: [
          ['title', 'string', 'Dashboard title'],
          ['widgets', 'array', 'Widget queries'],
        ],
      },
    ],
  },
  {
    name: 'stripe',
    product: 'Stripe',
    scope: [
      'account',
      'string',
      'Connected account id (acct_…); the platform account when omitted',
    ],
    kinds: [
      {
        one: 'customer',
        many: 'customers',
        fields: [
          ['email', 'string', 'Customer email'],
          ['name', 'string', 'Full name'],
          ['metadata', 'array', 'Key=value pairs'],
        ],
      },
      {
        one: 'invoice',
        many: 'invoices',
        fields: [
          ['customer', 'string', 'Customer id (cus_…)'],
          [
            'collection_method',
            'string',
            'How to collect',
            ['charge_automatically', 'send_invoice'],
          ],
          ['days_until_due', 'integer', 'Days until due'],
        ],
      },
      {
        one: 'subscription',
        many: 'subscriptions',
        fields: [
          ['customer', 'string', 'Customer id'],
          ['price', 'string', 'Price id (price_…)'],
          ['trial_days', 'integer', 'Trial length in days'],
        ],
      },
      {
        one: 'refund',
        many: 'refunds',
        fields: [
          ['payment_intent', 'string', 'Payment intent id (pi_…)'],
          ['amount', 'integer', 'Amount in the smallest currency unit'],
          ['reason', 'string', 'Reason', ['duplicate', 'fraudulent', 'requested_by_customer']],
        ],
      },
      {
        one: 'product',
        many: 'products',
        fields: [
          ['name', 'string', 'Product name'],
          ['description', 'string', 'Shown on invoices and checkout'],
          ['active', 'boolean', 'Available for purchase'],
        ],
      },
    ],
  },
  {
    name: 's3',
    product: 'Amazon S3',
    scope: ['region', 'string', 'AWS region, e.g. "eu-central-1"'],
    kinds: [
      {
        one: 'bucket',
        many: 'buckets',
        fields: [
          ['bucket', 'string', 'Bucket name'],
          ['versioning', 'boolean', 'Enable versioning'],
        ],
      },
      {
        one: 'object',
        many: 'objects',
        fields: [
          ['bucket', 'string', 'Bucket name'],
          ['key', 'string', 'Object key'],
          ['content_type', 'string', 'MIME type'],
        ],
      },
      {
        one: 'lifecycle rule',
        many: 'lifecycle rules',
        fields: [
          ['bucket', 'string', 'Bucket name'],
          ['prefix', 'string', 'Key prefix it applies to'],
          ['expire_days', 'integer', 'Delete objects after this many days'],
        ],
      },
      {
        one: 'bucket policy',
        many: 'bucket policies',
        fields: [
          ['bucket', 'string', 'Bucket name'],
          ['policy', 'string', 'Policy document as JSON'],
        ],
      },
      {
        one: 'presigned URL',
        many: 'presigned URLs',
        fields: [
          ['bucket', 'string', 'Bucket name'],
          ['key', 'string', 'Object key'],
          ['expires_in', 'integer', 'Seconds the URL is valid'],
        ],
      },
    ],
  },
  {
    name: 'kubernetes',
    product: 'Kubernetes',
    scope: ['context', 'string', 'kubeconfig context; the current one when omitted'],
    kinds: [
      {
        one: 'pod',
        many: 'pods',
        fields: [
          ['namespace', 'string', 'Namespace'],
          ['selector', 'string', 'Label selector, e.g. "app=web"'],
          ['container', 'string', 'Container name'],
        ],
      },
      {
        one: 'deployment',
        many: 'deployments',
        fields: [
          ['namespace', 'string', 'Namespace'],
          ['image', 'string', 'Container image'],
          ['replicas', 'integer', 'Number of replicas'],
        ],
      },
      {
        one: 'service',
        many: 'services',
        fields: [
          ['namespace', 'string', 'Namespace'],
          ['type', 'string', 'Service type', ['ClusterIP', 'NodePort', 'LoadBalancer']],
          ['port', 'integer', 'Service port'],
        ],
      },
      {
        one: 'config map',
        many: 'config maps',
        fields: [
          ['namespace', 'string', 'Namespace'],
          ['data', 'array', 'Entries as key=value'],
        ],
      },
      {
        one: 'job',
        many: 'jobs',
        fields: [
          ['namespace', 'string', 'Namespace'],
          ['image', 'string', 'Container image'],
          ['command', 'array', 'Command and arguments'],
        ],
      },
    ],
  },
  {
    name: 'docker',
    product: 'Docker',
    scope: ['host', 'string', 'Docker host; the local socket when omitted'],
    kinds: [
      {
        one: 'container',
        many: 'containers',
        fields: [
          ['image', 'string', 'Image to run'],
          ['ports', 'array', 'Port mappings "host:container"'],
          ['env', 'array', 'Environment as KEY=value'],
        ],
      },
      {
        one: 'image',
        many: 'images',
        fields: [
          ['reference', 'string', 'Image reference, e.g. "nginx:1.27"'],
          ['platform', 'string', 'Platform, e.g. "linux/amd64"'],
        ],
      },
      {
        one: 'volume',
        many: 'volumes',
        fields: [
          ['name', 'string', 'Volume name'],
          ['driver', 'string', 'Volume driver'],
        ],
      },
      {
        one: 'network',
        many: 'networks',
        fields: [
          ['name', 'string', 'Network name'],
          ['driver', 'string', 'Network driver', ['bridge', 'overlay', 'host']],
        ],
      },
      {
        one: 'compose project',
        many: 'compose projects',
        fields: [
          ['path', 'string', 'Directory with compose.yaml'],
          ['services', 'array', 'Only these services'],
        ],
      },
    ],
  },
  {
    name: 'weather',
    product: 'the weather service',
    scope: ['units', 'string', 'Units', ['metric', 'imperial']],
    kinds: [
      {
        one: 'forecast',
        many: 'forecasts',
        fields: [
          ['location', 'string', 'City name or "lat,lon"'],
          ['days', 'integer', 'Days ahead, 1 to 14'],
        ],
      },
      {
        one: 'alert',
        many: 'alerts',
        fields: [
          ['location', 'string', 'City name or "lat,lon"'],
          ['severity', 'string', 'Minimum severity', ['minor', 'moderate', 'severe', 'extreme']],
        ],
      },
      {
        one: 'observation',
        many: 'observations',
        fields: [
          ['station', 'string', 'Station id'],
          ['hours', 'integer', 'Hours of history'],
        ],
      },
      {
        one: 'saved location',
        many: 'saved locations',
        fields: [
          ['name', 'string', 'Name to save it under'],
          ['location', 'string', 'City name or "lat,lon"'],
        ],
      },
      {
        one: 'air quality report',
        many: 'air quality reports',
        fields: [
          ['location', 'string', 'City name or "lat,lon"'],
          ['pollutants', 'array', 'Pollutants to include, e.g. pm25, o3'],
        ],
      },
    ],
  },
  {
    name: 'maps',
    product: 'the maps service',
    scope: ['language', 'string', 'Language of results (BCP 47)'],
    kinds: [
      {
        one: 'place',
        many: 'places',
        fields: [
          ['query', 'string', 'What to find, e.g. "coffee near Alexanderplatz"'],
          ['radius_m', 'integer', 'Search radius in metres'],
        ],
      },
      {
        one: 'route',
        many: 'routes',
        fields: [
          ['origin', 'string', 'Start address or "lat,lon"'],
          ['destination', 'string', 'End address or "lat,lon"'],
          ['mode', 'string', 'Travel mode', ['driving', 'walking', 'bicycling', 'transit']],
        ],
      },
      { one: 'geocode', many: 'geocodes', fields: [['address', 'string', 'Address to look up']] },
      {
        one: 'saved list',
        many: 'saved lists',
        fields: [
          ['name', 'string', 'List name'],
          ['place_ids', 'array', 'Places in the list'],
        ],
      },
      {
        one: 'distance matrix',
        many: 'distance matrices',
        fields: [
          ['origins', 'array', 'Origins'],
          ['destinations', 'array', 'Destinations'],
        ],
      },
    ],
  },
  {
    name: 'hubspot',
    product: 'HubSpot CRM',
    scope: ['portal', 'string', 'Portal id'],
    kinds: [
      {
        one: 'contact',
        many: 'contacts',
        fields: [
          ['email', 'string', 'Email address'],
          ['firstname', 'string', 'First name'],
          ['lifecycle_stage', 'string', 'Lifecycle stage', ['lead', 'opportunity', 'customer']],
        ],
      },
      {
        one: 'company',
        many: 'companies',
        fields: [
          ['name', 'string', 'Company name'],
          ['domain', 'string', 'Website domain'],
        ],
      },
      {
        one: 'deal',
        many: 'deals',
        fields: [
          ['dealname', 'string', 'Deal name'],
          ['amount', 'integer', 'Amount'],
          ['stage', 'string', 'Pipeline stage'],
        ],
      },
      {
        one: 'note',
        many: 'notes',
        fields: [
          ['body', 'string', 'Note text'],
          ['associated_ids', 'array', 'Records it is attached to'],
        ],
      },
      {
        one: 'task',
        many: 'tasks',
        fields: [
          ['subject', 'string', 'Task subject'],
          ['due', 'string', 'Due date'],
          ['owner', 'string', 'Owner id'],
        ],
      },
    ],
  },
  {
    name: 'confluence',
    product: 'Confluence',
    scope: ['space', 'string', 'Space key, e.g. "DOCS"'],
    kinds: [
      {
        one: 'page',
        many: 'pages',
        fields: [
          ['title', 'string', 'Page title'],
          ['body', 'string', 'Body in storage format'],
          ['parent_id', 'string', 'Parent page id'],
        ],
      },
      {
        one: 'blog post',
        many: 'blog posts',
        fields: [
          ['title', 'string', 'Post title'],
          ['body', 'string', 'Body in storage format'],
        ],
      },
      {
        one: 'attachment',
        many: 'attachments',
        fields: [
          ['page_id', 'string', 'Page id'],
          ['file_name', 'string', 'File name'],
          ['comment', 'string', 'Version comment'],
        ],
      },
      {
        one: 'label',
        many: 'labels',
        fields: [
          ['page_id', 'string', 'Page id'],
          ['name', 'string', 'Label name'],
        ],
      },
      {
        one: 'template',
        many: 'templates',
        fields: [
          ['name', 'string', 'Template name'],
          ['body', 'string', 'Template body'],
        ],
      },
    ],
  },
  {
    name: 'figma',
    product: 'Figma',
    scope: ['team', 'string', 'Team id'],
    kinds: [
      {
        one: 'file',
        many: 'files',
        fields: [
          ['file_key', 'string', 'File key from the URL'],
          ['depth', 'integer', 'How deep to read the node tree'],
        ],
      },
      {
        one: 'comment',
        many: 'comments',
        fields: [
          ['file_key', 'string', 'File key'],
          ['message', 'string', 'Comment text'],
          ['node_id', 'string', 'Node to pin it to'],
        ],
      },
      {
        one: 'component',
        many: 'components',
        fields: [
          ['file_key', 'string', 'File key'],
          ['name', 'string', 'Component name'],
        ],
      },
      {
        one: 'image export',
        many: 'image exports',
        fields: [
          ['file_key', 'string', 'File key'],
          ['node_ids', 'array', 'Nodes to export'],
          ['format', 'string', 'Image format', ['png', 'jpg', 'svg', 'pdf']],
        ],
      },
      {
        one: 'variable',
        many: 'variables',
        fields: [
          ['file_key', 'string', 'File key'],
          ['collection', 'string', 'Variable collection'],
          ['value', 'string', 'Value'],
        ],
      },
    ],
  },
  {
    name: 'spotify',
    product: 'Spotify',
    scope: ['market', 'string', 'Country code (ISO 3166-1 alpha-2)'],
    kinds: [
      {
        one: 'playlist',
        many: 'playlists',
        fields: [
          ['name', 'string', 'Playlist name'],
          ['public', 'boolean', 'Public playlist'],
          ['description', 'string', 'Description'],
        ],
      },
      {
        one: 'track',
        many: 'tracks',
        fields: [
          ['query', 'string', 'Search words: title, artist'],
          ['uri', 'string', 'Spotify URI'],
        ],
      },
      {
        one: 'playback queue entry',
        many: 'playback queue entries',
        fields: [
          ['uri', 'string', 'Track or episode URI'],
          ['device_id', 'string', 'Device to play on'],
        ],
      },
      { one: 'saved album', many: 'saved albums', fields: [['album_ids', 'array', 'Album ids']] },
      {
        one: 'followed artist',
        many: 'followed artists',
        fields: [['artist_ids', 'array', 'Artist ids']],
      },
    ],
  },
]

const OPERATIONS = ['list', 'get', 'create', 'update', 'delete'] as const

/** The 20 servers × 25 tools. */
export function toolCorpus(): CorpusServer[] {
  return SERVERS.map((server) => ({
    name: server.name,
    tools: server.kinds.flatMap((kind) =>
      OPERATIONS.map((operation) => toolOf(server.product, server.scope, kind, operation)),
    ),
  }))
}

function toolOf(
  product: string,
  scope: Field,
  kind: Kind,
  operation: (typeof OPERATIONS)[number],
): CorpusTool {
  const snake = (text: string) => text.replace(/[^a-z0-9]+/gi, '_').toLowerCase()
  const id = `${snake(kind.one)}_id`
  const properties: Record<string, unknown> = { [scope[0]]: property(scope) }
  const required: string[] = []
  let description: string
  let annotations: Record<string, unknown>
  switch (operation) {
    case 'list':
      description =
        `List ${kind.many} in ${product}, newest first. Use this to browse or find ${kind.many} ` +
        `before reading or changing one; filter with the optional fields to narrow the result. ` +
        `Returns up to \`limit\` ${kind.many} with their ids and main fields, and a \`next_cursor\` ` +
        'when there are more: pass it as `cursor` to get the next page.'
      for (const field of kind.fields.slice(0, 2)) properties[field[0]] = property(field, 'Only')
      properties.limit = {
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 25,
        description: 'Maximum number of results to return',
      }
      properties.cursor = { type: 'string', description: 'Cursor from a previous page' }
      annotations = { readOnlyHint: true, openWorldHint: true }
      break
    case 'get':
      description =
        `Get one ${kind.one} from ${product} by its id, with all its fields. Use after ` +
        `list_${snake(kind.many)} or when the user names a ${kind.one} directly. Fails with ` +
        `not_found when the ${kind.one} does not exist or is not visible to the connected account.`
      properties[id] = { type: 'string', description: `The ${kind.one}'s id` }
      properties.include = {
        type: 'array',
        items: { type: 'string' },
        description: 'Related data to include in the answer, e.g. "history"',
      }
      required.push(id)
      annotations = { readOnlyHint: true, openWorldHint: true }
      break
    case 'create':
      description =
        `Create a ${kind.one} in ${product}. Fill in the fields the user gave; leave the ` +
        'optional ones out rather than guessing. Returns the new ' +
        `${kind.one} with its id and URL. This changes data in ${product}: confirm with the user ` +
        'first when the request was ambiguous.'
      for (const field of kind.fields) properties[field[0]] = property(field)
      required.push(kind.fields[0]?.[0] ?? id)
      annotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: true }
      break
    case 'update':
      description =
        `Update fields of an existing ${kind.one} in ${product}. Only the fields given are ` +
        `changed; the others keep their values. Returns the ${kind.one} as it is after the update.`
      properties[id] = { type: 'string', description: `The ${kind.one}'s id` }
      for (const field of kind.fields) properties[field[0]] = property(field, 'New')
      required.push(id)
      annotations = {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      }
      break
    default:
      description =
        `Delete a ${kind.one} from ${product}. This cannot be undone: ask the user to confirm, ` +
        'and pass `confirm: true`. Returns the id of the deleted ' +
        `${kind.one}.`
      properties[id] = { type: 'string', description: `The ${kind.one}'s id` }
      properties.confirm = {
        type: 'boolean',
        const: true,
        description: 'Must be true: the user confirmed the deletion',
      }
      required.push(id, 'confirm')
      annotations = { readOnlyHint: false, destructiveHint: true, openWorldHint: true }
  }
  return {
    name: `${operation}_${snake(operation === 'list' ? kind.many : kind.one)}`,
    description,
    inputSchema: { type: 'object', properties, required, additionalProperties: false },
    annotations,
  }
}

function property([, type, description, values]: Field, prefix?: string): Record<string, unknown> {
  const text = prefix
    ? `${prefix}: ${description.charAt(0).toLowerCase()}${description.slice(1)}`
    : description
  if (type === 'array') return { type: 'array', items: { type: 'string' }, description: text }
  return { type, ...(values ? { enum: values } : {}), description: text }
}
