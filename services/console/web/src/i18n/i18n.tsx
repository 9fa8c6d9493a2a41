import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { kk } from './kk';
import { ru } from './ru';

export type Lang = 'ru' | 'kk' | 'en';
export const LANGS: Lang[] = ['ru', 'kk', 'en'];
export const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { ru, kk, en };
/** Kazakhstan keeps one time, but regions show their own zone names: the user picks. */
export type Zone = 'Asia/Almaty' | 'Asia/Aqtobe';
export const ZONES: Zone[] = ['Asia/Almaty', 'Asia/Aqtobe'];
/** Western regions live by Aqtobe's zone. */
const WESTERN_REGIONS = new Set(['AKT', 'ATY', 'ZAP', 'MAN', 'KZY']);

const LOCALE_TAG: Record<Lang, string> = { ru: 'ru-KZ', kk: 'kk-KZ', en: 'en-GB' };

export type Params = Record<string, string | number>;

/** A message in a language; a key missing there is a bug, shown as ⟦key⟧ and reported. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  let text = DICTIONARIES[lang][key];
  if (text === undefined) {
    console.error(`missing translation: ${lang}.${key}`);
    return `⟦${key}⟧`;
  }
  if (params)
    for (const [name, value] of Object.entries(params)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

export function initialLang(): Lang {
  const stored = localStorage.getItem('safecity.lang');
  if (stored && (LANGS as string[]).includes(stored)) return stored as Lang;
  const browser = navigator.language.slice(0, 2);
  return (LANGS as string[]).includes(browser) ? (browser as Lang) : 'ru';
}

export function initialZone(regions: string[] | 'all'): Zone {
  const stored = localStorage.getItem('safecity.zone');
  if (stored && (ZONES as string[]).includes(stored)) return stored as Zone;
  return regions !== 'all' && regions.length > 0 && regions.every((r) => WESTERN_REGIONS.has(r))
    ? 'Asia/Aqtobe'
    : 'Asia/Almaty';
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  zone: Zone;
  setZone(zone: Zone): void;
  t(key: MessageKey, params?: Params): string;
  /** A key built from data (`state.${name}`), falling back to the raw value for unknown data. */
  tv(prefix: string, value: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  time(iso: string | null | undefined): string;
  number(value: number, digits?: number): string;
  percent(value: number): string;
  /** "12 min 5 s"-style duration in the language. */
  duration(ms: number): string;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider(props: { children: ReactNode; regions: string[] | 'all' }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [zone, setZoneState] = useState<Zone>(() => initialZone(props.regions));
  const value = useMemo<I18n>(() => {
    const tag = LOCALE_TAG[lang];
    const dateTime = new Intl.DateTimeFormat(tag, {
      timeZone: zone,
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    const time = new Intl.DateTimeFormat(tag, { timeZone: zone, timeStyle: 'medium' });
    const t = (key: MessageKey, params?: Params) => translate(lang, key, params);
    return {
      lang,
      zone,
      setLang: (next) => {
        localStorage.setItem('safecity.lang', next);
        document.documentElement.lang = next;
        setLangState(next);
      },
      setZone: (next) => {
        localStorage.setItem('safecity.zone', next);
        setZoneState(next);
      },
      t,
      tv: (prefix, raw) => {
        if (raw === null || raw === undefined || raw === '') return '—';
        const key = `${prefix}.${raw}` as MessageKey;
        return key in DICTIONARIES[lang] ? t(key) : raw;
      },
      dateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : '—'),
      time: (iso) => (iso ? time.format(new Date(iso)) : '—'),
      number: (n, digits = 0) =>
        new Intl.NumberFormat(tag, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(
          n,
        ),
      percent: (n) => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }).format(n),
      duration: (ms) => {
        const total = Math.max(0, Math.round(Math.abs(ms) / 1000));
        const h = Math.floor(total / 3600);
        const m = Math.floor((total % 3600) / 60);
        const s = total % 60;
        if (h > 0) return t('time.hm', { h, m });
        if (m > 0) return t('time.ms', { m, s });
        return t('time.s', { s });
      },
    };
  }, [lang, zone]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
