// What the tab card and the sidebar card share: loading the record's invoices, and what happens after a change
// (the record's HubBooks properties refresh on the page, the card reloads, a success notice that goes away).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNotice } from '@hubbooks/ui-shared/notices';
import { objectName, objectTypeOf } from '@hubbooks/ui-shared/format';

export function useInvoicesCard({ context, actions, api, noticeMs }) {
  const objectType = objectTypeOf(context?.crm?.objectTypeId);
  const objectId = context?.crm?.objectId !== undefined ? String(context.crm.objectId) : '';
  const [state, setState] = useState({ status: 'loading', data: null, error: null });
  const [notice, showNotice] = useNotice(noticeMs);
  const changed = useRef(false);

  const load = useCallback(async () => {
    if (!objectType) return;
    setState((previous) => ({ ...previous, status: previous.data ? 'refreshing' : 'loading', error: null }));
    try {
      const data = await api.cardData(objectType, objectId);
      setState({ status: 'ready', data, error: null });
    } catch (error) {
      setState({ status: 'error', data: null, error });
    }
  }, [api, objectType, objectId]);

  useEffect(() => { load(); }, [load]);

  /** After a create, link or unlink: HubSpot re-reads the record's properties (HubBooks wrote some), we reload. */
  const afterChange = useCallback(async () => {
    actions?.refreshObjectProperties?.();
    await load();
  }, [actions, load]);

  /** Panels report changes while open; the card refreshes once, when the panel closes, and says what changed. */
  const markChanged = useCallback((message) => { changed.current = message || true; }, []);
  const panelClosed = useCallback(() => {
    const message = changed.current;
    if (!message) return;
    changed.current = false;
    if (typeof message === 'string') showNotice({ variant: 'success', title: 'Done', message });
    afterChange();
  }, [afterChange, showNotice]);

  return {
    objectType, objectId, objectLabel: objectName(objectType), locale: context?.user?.locale,
    state, load, notice, showNotice, afterChange, markChanged, panelClosed,
  };
}
