/** The operator console's calls: /api/admin, signed in by the console's own short session cookie. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { requestData, type OkData } from '../../shared/api/client.ts';
import type { components } from '../../shared/api/schema.gen.ts';

export type AdminRoom = components['schemas']['AdminRoom'];
export type AdminUser = components['schemas']['AdminUserSummary'];
export type AuditEntry = components['schemas']['AuditEntry'];
export type UserDetail = OkData<'/api/admin/users/{uid}', 'get'>;
export type RoomReview = OkData<'/api/admin/rooms/{room_id}', 'get'>;
export type RoomStatus = 'all' | 'live' | 'taken_down' | 'reported';

const ADMIN = ['admin'] as const;

/** Who is signed in to the console; 401/403 is how the console learns it must sign in first. */
export function useOperator() {
  return useQuery({ queryKey: [...ADMIN, 'me'], queryFn: () => requestData('get', '/api/admin/me'), retry: false });
}

export function useOperatorSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => requestData('post', '/api/admin/login', { body }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function reauthenticate(password: string) {
  return requestData('post', '/api/admin/reauth', { body: { password } });
}

export function useUserSearch(query: string) {
  return useQuery({
    queryKey: [...ADMIN, 'users', query],
    queryFn: async () => (await requestData('get', '/api/admin/users', { query: { q: query } })).users,
    placeholderData: keepPreviousData,
  });
}

export function useUserDetail(uid: string) {
  return useQuery({ queryKey: [...ADMIN, 'user', uid], queryFn: () => requestData('get', '/api/admin/users/{uid}', { params: { uid } }) });
}

/** Rooms a page at a time (`fetchNextPage` continues after the last one shown), as one list. */
export function useRooms(query: string, status: RoomStatus) {
  return useInfiniteQuery({
    queryKey: [...ADMIN, 'rooms', query, status],
    queryFn: ({ pageParam }) => requestData('get', '/api/admin/rooms', { query: { q: query, status, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    select: (data) => data.pages.flatMap((page) => page.rooms),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

export function useRoomReview(roomId: string) {
  return useQuery({ queryKey: [...ADMIN, 'room', roomId], queryFn: () => requestData('get', '/api/admin/rooms/{room_id}', { params: { room_id: roomId } }) });
}

export function useAudit(filter: { q: string; action: string }) {
  return useQuery({
    queryKey: [...ADMIN, 'audit', filter],
    queryFn: () => requestData('get', '/api/admin/audit', { query: { q: filter.q || undefined, action: filter.action || undefined, limit: 100 } }),
    placeholderData: keepPreviousData,
  });
}

export type ReportGroup = components['schemas']['ReportGroup'];

export function useReportQueue() {
  return useQuery({ queryKey: [...ADMIN, 'reports'], queryFn: async () => (await requestData('get', '/api/admin/reports')).groups, refetchInterval: 15_000 });
}

export type AdminOrder = components['schemas']['AdminOrder'];

/** Recharge orders a page at a time, as one list. */
export function useOrders(status: string) {
  return useInfiniteQuery({
    queryKey: [...ADMIN, 'orders', status],
    queryFn: ({ pageParam }) => requestData('get', '/api/admin/payments/orders', { query: { status: status || undefined, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    select: (data) => data.pages.flatMap((page) => page.orders),
    placeholderData: keepPreviousData,
  });
}

export function usePaymentsAttention() {
  return useQuery({ queryKey: [...ADMIN, 'attention'], queryFn: () => requestData('get', '/api/admin/payments/attention') });
}

export function useMoneySummary(days: number) {
  return useQuery({ queryKey: [...ADMIN, 'money', days], queryFn: async () => (await requestData('get', '/api/admin/money/summary', { query: { days } })).days });
}

export function useLedgerStatus() {
  return useQuery({ queryKey: [...ADMIN, 'ledger'], queryFn: async () => (await requestData('get', '/api/admin/ledger')).last_run });
}

export function useVerifyLedger() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => requestData('post', '/api/admin/ledger/verify'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ADMIN }),
  });
}

/** One console action; every answer may change what the console shows, so all of it is refetched. */
export type AdminAction =
  | { kind: 'ban' | 'unban'; uid: string }
  | { kind: 'adjust'; uid: string; amount: number }
  | { kind: 'take_down' | 'restore'; roomId: string }
  | { kind: 'remove_line'; roomId: string; floor: number }
  | { kind: 'remove_user_message'; roomId: string; id: number }
  | { kind: 'credit_partial'; orderId: string }
  | { kind: 'decide_reports'; roomId: string; target: string; outcome: 'resolved' | 'dismissed' };

export function runAction(action: AdminAction, reason: string) {
  switch (action.kind) {
    case 'ban':
      return requestData('post', '/api/admin/users/{uid}/ban', { params: { uid: action.uid }, body: { reason } });
    case 'unban':
      return requestData('post', '/api/admin/users/{uid}/unban', { params: { uid: action.uid }, body: { reason } });
    case 'adjust':
      return requestData('post', '/api/admin/users/{uid}/adjust', { params: { uid: action.uid }, body: { reason, amount: action.amount } });
    case 'take_down':
      return requestData('post', '/api/admin/rooms/{room_id}/take_down', { params: { room_id: action.roomId }, body: { reason } });
    case 'restore':
      return requestData('post', '/api/admin/rooms/{room_id}/restore', { params: { room_id: action.roomId }, body: { reason } });
    case 'remove_line':
      return requestData('post', '/api/admin/rooms/{room_id}/lines/{floor}/remove', { params: { room_id: action.roomId, floor: action.floor }, body: { reason } });
    case 'credit_partial':
      return requestData('post', '/api/admin/payments/orders/{order_id}/credit_partial', { params: { order_id: action.orderId }, body: { reason } });
    case 'decide_reports':
      return requestData('post', '/api/admin/reports/decide', { body: { room_id: action.roomId, target: action.target, outcome: action.outcome, reason } });
    case 'remove_user_message':
      return requestData('post', '/api/admin/rooms/{room_id}/user_messages/{id}/remove', { params: { room_id: action.roomId, id: action.id }, body: { reason } });
  }
}

export function useRefreshAdmin() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ADMIN });
}
