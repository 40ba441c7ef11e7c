/** Identities shared by the stand-in Web API and the payloads the sender delivers: one test workspace. */
export const TEAM_ID = 'T0QUIZCAST';
export const TEAM_DOMAIN = 'quizcast-test';
export const BOT_USER_ID = 'U0BOTQUIZ';
export const BOT_ID = 'B0BOTQUIZ';
export const APP_ID = 'A0QUIZCAST';
export const BOT_TOKEN = 'xoxb-1111111111-2222222222-standinstandinstandin';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
/** The legacy verification token Slack still puts in command and interaction bodies (Bolt ignores it). */
export const VERIFICATION_TOKEN = 'gIkuvaNzQIHg97ATvDxqgjtO';

/** Slack's Block Kit validation rules the stand-in enforces, as Slack reports them ("invalid_blocks"). */
export const BLOCK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  actionsElements: 25,
};

let sequence = 0;
/** Slack-looking ids (uppercase base-36), unique within a run. */
export function slackId(prefix: string): string {
  sequence += 1;
  return `${prefix}0${(Date.now() * 1000 + sequence).toString(36).toUpperCase().slice(-9)}`;
}

/** trigger_id as Slack formats it: "<digits>.<digits>.<hex>". */
export function triggerId(): string {
  sequence += 1;
  return `${Date.now()}${sequence}.738474920.${(sequence * 2654435761).toString(16).padStart(8, '0')}`;
}
