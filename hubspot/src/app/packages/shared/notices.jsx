// Notices shown above a card or settings tab: success notices go away by themselves, problems stay until the
// next action replaces them (someone has to read and act on those).
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Link } from '@hubspot/ui-extensions';
import { describeError } from './api.js';

export const SUCCESS_NOTICE_MS = 6000;

/** [notice, show, clear]: `show({variant, title, message, link})` replaces the current notice. */
export function useNotice(dismissAfterMs = SUCCESS_NOTICE_MS) {
  const [notice, setNotice] = useState(null);
  const timer = useRef(null);

  const clear = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setNotice(null);
  }, []);

  const show = useCallback((next) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setNotice(next);
    if (next && next.variant === 'success' && dismissAfterMs > 0) {
      timer.current = setTimeout(() => {
        timer.current = null;
        setNotice(null);
      }, dismissAfterMs);
    }
  }, [dismissAfterMs]);

  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  return [notice, show, clear];
}

export function Notice({ notice, testId = 'notice' }) {
  if (!notice) return null;
  return (
    <Alert title={notice.title} variant={notice.variant} testId={testId}>
      {notice.message}
      {notice.link ? <> <Link href={{ url: notice.link.url, external: true }}>{notice.link.label}</Link></> : null}
    </Alert>
  );
}

/** What a failed save says, under its form until the next save: `result` is `{ok, error}` or null. */
export function SaveFailed({ result, title, testId }) {
  if (!result || result.ok) return null;
  return (
    <Alert title={title} variant="danger" testId={testId}>
      {describeError(result.error)}
    </Alert>
  );
}
