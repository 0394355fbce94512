/**
 * What an open document is, decided in one place: an `.idmsim` scenario goes to the scenario features, everything
 * else the client sends (the files its document selector matched) is a managed config for the checker.
 */
export type DocumentLanguage = 'config' | 'scenario';

export function languageOf(uri: string): DocumentLanguage {
  return /\.idmsim$/i.test(uri) ? 'scenario' : 'config';
}
