// Invoice approval requests on a deal's card: "Awaiting approval" for everyone; for an approver, the terms, dates
// and message to edit, Approve (the invoice is then created in QuickBooks) and Reject with a reason the requester
// sees; the requester (or an admin) can withdraw a request nobody has decided. Each decision sends the version its
// maker saw, so two approvers cannot both approve; every decision is listed under the request (and noted on the
// deal's timeline by the backend).
import React, { useCallback, useEffect, useState } from 'react';
import {
  Alert, Button, DateInput, Flex, Select, Tag, Text, TextArea, Tile,
} from '@hubspot/ui-extensions';
import { describeError } from '@hubbooks/ui-shared/api';
import { dateValueToIso, formatDate, formatMoney, isoToDateValue } from '@hubbooks/ui-shared/format';

const TAG_VARIANTS = {
  pending: 'warning', approving: 'warning', approved: 'success', rejected: 'error', withdrawn: 'default',
};
const FIELD_LABELS = { term_id: 'terms', invoice_date: 'invoice date', due_date: 'due date',
  customer_message: 'message' };

/** One line per entry of the request's history: who did what, when, what they changed or why. */
export function decisionLine(entry) {
  const when = formatDate(entry.at);
  const who = `user ${entry.user_id}`;
  const changes = Object.entries(entry.changes ?? {})
    .map(([name, [before, after]]) => `${FIELD_LABELS[name] ?? name} ${before ?? '(none)'} → ${after ?? '(none)'}`);
  const why = entry.reason ? `: ${entry.reason}` : '';
  switch (entry.action) {
    case 'requested': return `Requested by ${who} on ${when}`;
    case 'approved': return `Approved by ${who} on ${when}${changes.length ? ` (changed ${changes.join('; ')})` : ''}`;
    case 'rejected': return `Rejected by ${who} on ${when}${why}`;
    case 'withdrawn': return `Withdrawn by ${who} on ${when}${why}`;
    case 'approve_failed': return `Approval by ${who} on ${when} did not go through${why}`;
    default: return `${entry.action} by ${who} on ${when}`;
  }
}
const SHOWN = 5; // the newest requests; older decisions stay in the record's history

/** The deal's requests, reloaded whenever `reloadWith` changes; a deal without requests shows nothing. */
export function useApprovalRequests(api, dealId, reloadWith) {
  const [requests, setRequests] = useState([]);
  const load = useCallback(async () => {
    if (!dealId || !reloadWith) return;
    try {
      const answer = await api.approvalRequests(dealId);
      setRequests(answer?.requests ?? []);
    } catch {
      setRequests([]); // approvals are optional on the card; the invoices above still work
    }
  }, [api, dealId, reloadWith]);
  useEffect(() => { load(); }, [load]);
  return requests;
}

function ApproverForm({ request, terms, busy, onApprove, onReject }) {
  const wanted = request.submission;
  const [edits, setEdits] = useState({ term_id: wanted.term_id ?? '', invoice_date: wanted.invoice_date ?? null,
    due_date: wanted.due_date ?? null, customer_message: wanted.customer_message ?? '' });
  const [reason, setReason] = useState('');
  const id = request.request_id;
  const changed = () => {
    const out = {};
    if ((edits.term_id || null) !== (wanted.term_id ?? null)) out.term_id = edits.term_id || null;
    if (edits.invoice_date !== (wanted.invoice_date ?? null)) out.invoice_date = edits.invoice_date;
    if (edits.due_date !== (wanted.due_date ?? null)) out.due_date = edits.due_date;
    if ((edits.customer_message || null) !== (wanted.customer_message ?? null)) {
      out.customer_message = edits.customer_message || null;
    }
    return out;
  };
  const termChoices = [{ label: 'As requested (or the customer\'s terms)', value: '' },
    ...terms.map((term) => ({ label: term.name, value: term.term_id }))];
  return (
    <Flex direction="column" gap="xs" testId={`approve-form-${id}`}>
      {terms.length ? (
        <Select label="Payment terms" name={`terms-${id}`} options={termChoices} value={edits.term_id}
          testId={`approval-terms-${id}`} onChange={(value) => setEdits((e) => ({ ...e, term_id: value ? String(value) : '' }))} />
      ) : null}
      <Flex gap="sm">
        <DateInput label="Invoice date" name={`invoice-date-${id}`} format="YYYY-MM-DD" testId={`approval-invoice-date-${id}`}
          value={isoToDateValue(edits.invoice_date)} onChange={(v) => setEdits((e) => ({ ...e, invoice_date: dateValueToIso(v) }))} />
        <DateInput label="Due date" name={`due-date-${id}`} format="YYYY-MM-DD" testId={`approval-due-date-${id}`}
          value={isoToDateValue(edits.due_date)} onChange={(v) => setEdits((e) => ({ ...e, due_date: dateValueToIso(v) }))} />
      </Flex>
      <TextArea label="Message to the customer" name={`message-${id}`} value={edits.customer_message} maxLength={1000}
        rows={2} testId={`approval-message-${id}`} onChange={(v) => setEdits((e) => ({ ...e, customer_message: v }))} />
      <TextArea label="Reason (needed to reject; the requester sees it)" name={`reason-${id}`} value={reason}
        maxLength={1000} rows={2} testId={`reject-reason-${id}`} onChange={setReason} />
      <Flex gap="sm">
        <Button variant="primary" disabled={busy} testId={`approve-${id}`} onClick={() => onApprove(request, changed())}>
          {busy ? 'Working…' : 'Approve and create in QuickBooks'}
        </Button>
        <Button variant="destructive" disabled={busy || !reason.trim()} testId={`reject-${id}`}
          onClick={() => onReject(request, reason.trim())}>Reject</Button>
      </Flex>
    </Flex>
  );
}

function WithdrawForm({ request, busy, onWithdraw }) {
  const [reason, setReason] = useState('');
  const id = request.request_id;
  return (
    <Flex direction="column" gap="xs" testId={`withdraw-form-${id}`}>
      <TextArea label="Why withdraw it (optional)" name={`withdraw-reason-${id}`} value={reason} maxLength={1000}
        rows={1} testId={`withdraw-reason-${id}`} onChange={setReason} />
      <Flex gap="sm">
        <Button variant="secondary" disabled={busy} testId={`withdraw-${id}`}
          onClick={() => onWithdraw(request, reason.trim())}>{busy ? 'Working…' : 'Withdraw request'}</Button>
      </Flex>
    </Flex>
  );
}

export function ApprovalRequests({ api, dealId, locale, requests, onChanged, showNotice }) {
  const [busy, setBusy] = useState(null);
  const [terms, setTerms] = useState({});
  const [failure, setFailure] = useState(null);
  const shown = requests.slice(0, SHOWN);
  const approvable = shown.filter((r) => r.you_can_approve);
  const realms = [...new Set(approvable.map((r) => r.realm_id))].join(',');

  useEffect(() => {
    let cancelled = false;
    realms.split(',').filter(Boolean).forEach((realmId) => {
      api.invoiceOptions(realmId).then((options) => {
        if (!cancelled) setTerms((t) => ({ ...t, [realmId]: options?.terms ?? [] }));
      }).catch(() => {}); // the terms stay as requested; dates and message can still be changed
    });
    return () => { cancelled = true; };
  }, [api, realms]);

  const decide = async (request, work, success) => {
    setBusy(request.request_id);
    setFailure(null);
    try {
      const answer = await work();
      const warnings = answer?.warnings ?? [];
      showNotice({ variant: warnings.length ? 'warning' : 'success', title: success.title,
        message: [success.message(answer), ...warnings].join(' ') });
    } catch (error) {
      setFailure({ requestId: request.request_id, error });
    } finally {
      setBusy(null);
      await onChanged();
    }
  };
  const approve = (request, edits) => decide(request,
    () => api.approveRequest(dealId, request.request_id, { version: request.version, edits }),
    { title: 'Approved', message: (a) => `Invoice ${a.created?.invoice?.number ?? a.request.invoice_id} was created in QuickBooks.` });
  const reject = (request, reason) => decide(request,
    () => api.rejectRequest(dealId, request.request_id, { version: request.version, reason }),
    { title: 'Rejected', message: () => 'The requester sees your reason on this deal.' });
  const withdraw = (request, reason) => decide(request,
    () => api.withdrawRequest(dealId, request.request_id, { version: request.version, reason }),
    { title: 'Withdrawn', message: () => 'The approvers\' task is closed; nothing was created in QuickBooks.' });

  if (!shown.length) return null;
  return (
    <Flex direction="column" gap="sm" testId="approval-requests">
      {shown.map((request) => {
        const review = request.review;
        const id = request.request_id;
        return (
          <Tile key={id} compact testId={`approval-${id}`}>
            <Flex direction="column" gap="xs">
              <Flex gap="sm" align="center">
                <Tag variant={TAG_VARIANTS[request.status] ?? 'default'} testId={`approval-status-${id}`}>
                  {request.status_label}
                </Tag>
                <Text>
                  Invoice for {review.customer.display_name}, {formatMoney(review.total, review.currency, locale)},
                  due {formatDate(review.due_date)} · requested by user {request.requester_user_id}
                </Text>
              </Flex>
              {request.status === 'rejected' ? (
                <Alert title="Not approved" variant="warning" testId={`approval-rejected-${id}`}>
                  {request.rejection_reason}
                </Alert>
              ) : null}
              {request.status === 'approved' ? (
                <Text variant="microcopy" testId={`approval-approved-${id}`}>
                  Approved by user {request.history.at(-1)?.user_id}: invoice {request.invoice_number ?? request.invoice_id}.
                </Text>
              ) : null}
              {request.status === 'withdrawn' ? (
                <Text variant="microcopy" testId={`approval-withdrawn-${id}`}>
                  Withdrawn by user {request.history.at(-1)?.user_id}; nothing was created in QuickBooks.
                </Text>
              ) : null}
              {request.last_error && !['approved', 'withdrawn'].includes(request.status) ? (
                <Text variant="microcopy" testId={`approval-last-error-${id}`}>Last attempt: {request.last_error}</Text>
              ) : null}
              {failure?.requestId === id ? (
                <Alert title="Not done" variant="danger" testId={`approval-error-${id}`}>{describeError(failure.error)}</Alert>
              ) : null}
              {request.you_can_approve ? (
                <ApproverForm request={request} terms={terms[request.realm_id] ?? []} busy={busy === id}
                  onApprove={approve} onReject={reject} />
              ) : null}
              {!request.you_can_approve && ['pending', 'approving'].includes(request.status) && request.why_not ? (
                <Text variant="microcopy" testId={`approval-why-not-${id}`}>{request.why_not}</Text>
              ) : null}
              {request.you_can_withdraw ? (
                <WithdrawForm request={request} busy={busy === id} onWithdraw={withdraw} />
              ) : null}
              <Flex direction="column" gap="flush" testId={`approval-history-${id}`}>
                {(request.history ?? []).map((entry, index) => (
                  <Text key={`${entry.action}-${index}`} variant="microcopy">{decisionLine(entry)}</Text>
                ))}
              </Flex>
            </Flex>
          </Tile>
        );
      })}
    </Flex>
  );
}
