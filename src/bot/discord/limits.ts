/** Discord's documented payload limits, named so render and deploy code says which one it obeys. */
export const DISCORD_MAX_CONTENT_LENGTH = 2000;
export const DISCORD_MAX_EMBED_TITLE_LENGTH = 256;
export const DISCORD_MAX_EMBED_DESCRIPTION_LENGTH = 4096;
export const DISCORD_MAX_BUTTONS_PER_ROW = 5;
export const DISCORD_MAX_ACTION_ROWS = 5;
export const DISCORD_MAX_BUTTON_LABEL_LENGTH = 80;
export const DISCORD_MAX_CUSTOM_ID_LENGTH = 100;
export const DISCORD_MAX_ATTACHMENT_DESCRIPTION_LENGTH = 1024;
export const DISCORD_MAX_COMMANDS = 100;
export const DISCORD_MAX_COMMAND_DESCRIPTION_LENGTH = 100;
export const DISCORD_MAX_OPTIONS_PER_COMMAND = 25;
/** Command and option names: lowercase, 1–32 characters (the ASCII subset of Discord's pattern). */
export const DISCORD_COMMAND_NAME_PATTERN = /^[-_a-z0-9]{1,32}$/;

