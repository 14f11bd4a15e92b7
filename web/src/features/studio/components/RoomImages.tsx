/** A room's cover and character avatar in the console: what viewers see, upload a new one, remove it. */
import { useId } from 'react';
import { useRoomImage, type AnchorRoom, type RoomImageKind } from '../api.ts';
import { useStudioText } from '../use-studio-text.ts';
import { StudioError } from './StudioError.tsx';

const ACCEPT = 'image/png,image/jpeg,image/webp';

export function RoomImages({ room }: { room: AnchorRoom }) {
  return (
    <div className="studio-images">
      <RoomImage room={room} kind="cover" url={room.cover_url} />
      <RoomImage room={room} kind="avatar" url={room.avatar_url} />
    </div>
  );
}

function RoomImage({ room, kind, url }: { room: AnchorRoom; kind: RoomImageKind; url: string | null }) {
  const st = useStudioText();
  const inputId = useId();
  const { upload, remove } = useRoomImage(room.room_id, kind);
  const busy = upload.isPending || remove.isPending;
  const label = st(kind === 'cover' ? 'images.cover' : 'images.avatar');
  return (
    <div className={`studio-image studio-image-${kind}`}>
      {url ? <img src={url} alt={label} width={kind === 'cover' ? 160 : 48} height={kind === 'cover' ? 90 : 48} /> : <span className="studio-image-empty muted">{st('images.none')}</span>}
      <div className="studio-actions">
        <label htmlFor={inputId} className="btn btn-small">
          {st(url ? 'images.replace' : 'images.upload', { what: label })}
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          accept={ACCEPT}
          disabled={busy}
          data-testid={`upload-${kind}`}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) upload.mutate(file);
            event.target.value = '';
          }}
        />
        {url && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => remove.mutate()}>
            {st('images.remove', { what: label })}
          </button>
        )}
      </div>
      {upload.isPending && (
        <p className="muted" role="status">
          {st('images.uploading')}
        </p>
      )}
      <StudioError error={upload.error ?? remove.error} />
    </div>
  );
}
