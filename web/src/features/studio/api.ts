/** The console's calls: the same anchor API the bridge and scripts use, signed in by the session cookie. */
import { useCallback } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, requestData, type OkData, type RequestBody } from '../../shared/api/client.ts';
import type { components } from '../../shared/api/schema.gen.ts';

export type AnchorRoom = components['schemas']['AnchorRoom'];
export type AnchorToken = components['schemas']['AnchorTokenInfo'];
export type CreateRoomBody = RequestBody<'/api/anchor/rooms', 'post'>;
export type EditRoomBody = RequestBody<'/api/anchor/rooms/{room_id}', 'patch'>;
export type AnchorCredentials = RequestBody<'/api/anchor/login', 'post'>;
export type CreatedToken = OkData<'/api/anchor/tokens', 'post'>;

export const ROOMS_KEY = ['studio', 'rooms'] as const;
const TOKENS_KEY = ['studio', 'tokens'] as const;

/** The anchor's rooms; a 401/403 answer is how the console learns it must sign in first. */
export function useAnchorRooms() {
  return useQuery({
    queryKey: ROOMS_KEY,
    queryFn: async () => (await requestData('get', '/api/anchor/rooms')).rooms,
    retry: false,
    refetchInterval: 15_000,
  });
}

/** After signing in or out every answer may differ (the header's session too). */
function useRefreshAll() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

export function useAnchorSignIn() {
  const refreshAll = useRefreshAll();
  return useMutation({
    mutationFn: (body: AnchorCredentials) => requestData('post', '/api/anchor/login', { body: { ...body, session: true } }),
    onSuccess: refreshAll,
  });
}

export function useAnchorSignUp() {
  const refreshAll = useRefreshAll();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => requestData('post', '/api/anchor/register', { body: { ...body, session: true } }),
    onSuccess: refreshAll,
  });
}

export function useCreateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRoomBody) => requestData('post', '/api/anchor/rooms', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROOMS_KEY }),
  });
}

export function useEditRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ roomId, body }: { roomId: string; body: EditRoomBody }) =>
      requestData('patch', '/api/anchor/rooms/{room_id}', { params: { room_id: roomId }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROOMS_KEY }),
  });
}

export function useSetLive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ roomId, live }: { roomId: string; live: boolean }) =>
      requestData('post', '/api/anchor/rooms/{room_id}/live', { params: { room_id: roomId }, body: { live_status: live ? 'start' : 'stop' } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ROOMS_KEY }),
  });
}

export function useArchiveRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ roomId, archived }: { roomId: string; archived: boolean }) =>
      requestData('post', '/api/anchor/rooms/{room_id}/archive', { params: { room_id: roomId }, body: { archived } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ROOMS_KEY }),
  });
}

/** Deletes a room nobody paid into; the server archives one that someone paid into instead. */
export function useDeleteRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (roomId: string) => requestData('delete', '/api/anchor/rooms/{room_id}', { params: { room_id: roomId } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ROOMS_KEY }),
  });
}

export function useTokens() {
  return useQuery({ queryKey: TOKENS_KEY, queryFn: async () => (await requestData('get', '/api/anchor/tokens')).tokens, retry: false });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => requestData('post', '/api/anchor/tokens', { body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => requestData('delete', '/api/anchor/tokens/{token_id}', { params: { token_id: tokenId } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

export function useRevokeAllTokens() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => requestData('delete', '/api/anchor/tokens'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

export function useMuteViewer(roomId: string) {
  return useMutation({
    mutationFn: (target: ({ uid: string } | { guest_name: string }) & { minutes: number }) =>
      requestData('post', '/api/anchor/rooms/{room_id}/mute', { params: { room_id: roomId }, body: target }),
  });
}

export function useDeleteViewerMessage(roomId: string) {
  return useMutation({
    mutationFn: (messageId: number) =>
      request('delete', '/api/anchor/rooms/{room_id}/user_messages/{id}', { params: { room_id: roomId, id: messageId } }),
  });
}

export type EarningsReport = OkData<'/api/anchor/earnings/report', 'get'>;

export function useEarningsSummary() {
  return useQuery({ queryKey: ['studio', 'earnings'], queryFn: () => requestData('get', '/api/anchor/earnings') });
}

export function useEarningsReport(period: { from: string; to: string }) {
  return useQuery({
    queryKey: ['studio', 'earnings-report', period.from, period.to],
    queryFn: () => requestData('get', '/api/anchor/earnings/report', { query: period }),
  });
}

export function useEarningsEntries() {
  return useInfiniteQuery({
    queryKey: ['studio', 'earnings-entries'],
    queryFn: ({ pageParam }) => requestData('get', '/api/anchor/earnings/entries', { query: { cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useSetSubscriptionPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (price: number) => requestData('patch', '/api/anchor/profile', { body: { subscription_price: price } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['studio', 'earnings'] }),
  });
}

/** The anchor's latest earnings, for the dashboard's payments into one room before live ones arrive. */
export function useRecentEarnings() {
  return useQuery({
    queryKey: ['studio', 'earnings-recent'],
    queryFn: async () => (await requestData('get', '/api/anchor/earnings/entries', { query: { limit: 100 } })).entries,
  });
}

/** A payment just came in: every earnings figure the console holds is out of date. */
export function useEarningsChanged() {
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'studio' && String(query.queryKey[1]).startsWith('earnings') }),
    [queryClient],
  );
}
