/** A message in both languages: [zh-CN, en]. `{name}` in the text is replaced by t(key, {name}). */
export type Messages = Record<string, readonly [zh: string, en: string]>;

export const defineMessages = <M extends Messages>(messages: M): M => messages;
