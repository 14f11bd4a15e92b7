import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useCreateRoom, useEditRoom, type AnchorRoom } from '../api.ts';
import { createBody, editBody, EMPTY_ROOM_FORM, formFromRoom, formPrice, type RoomFormValues, type RoomType } from '../state/room-form.ts';
import { useStudioText } from '../use-studio-text.ts';
import { StudioError } from './StudioError.tsx';

/**
 * Creates a room, or edits one. The values stay in the form until a save succeeds, so a refused
 * save loses nothing; the refusal says what to change.
 */
export function RoomForm({ room, onDone }: { room?: AnchorRoom; onDone: () => void }) {
  const { t } = useI18n();
  const st = useStudioText();
  const id = useId();
  const [values, setValues] = useState<RoomFormValues>(() => (room ? formFromRoom(room) : EMPTY_ROOM_FORM));
  const [localError, setLocalError] = useState<ApiError | null>(null);
  const create = useCreateRoom();
  const edit = useEditRoom();
  const saving = room ? edit : create;
  const set = <K extends keyof RoomFormValues>(key: K, value: RoomFormValues[K]) => setValues((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (Number.isNaN(formPrice(values))) {
      setLocalError(new ApiError(400, 'coin_num_required', 'A paid room needs a price'));
      return;
    }
    setLocalError(null);
    if (room) edit.mutate({ roomId: room.room_id, body: editBody(values) }, { onSuccess: onDone });
    else create.mutate(createBody(values, new Date()), { onSuccess: onDone });
  };

  return (
    <form className="form studio-card room-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        {room ? st('form.edit_title', { name: room.room_name }) : st('form.create_title')}
      </h2>
      <div className="field">
        <label htmlFor={`${id}-character`}>{st('form.character_name')}</label>
        <input
          id={`${id}-character`}
          aria-describedby={`${id}-character-hint`}
          name="character_name"
          required
          maxLength={100}
          readOnly={room !== undefined}
          value={values.characterName}
          onChange={(event) => set('characterName', event.target.value)}
        />
        <small id={`${id}-character-hint`} className="muted">
          {st('form.character_hint')}
        </small>
      </div>
      <div className="field">
        <label htmlFor={`${id}-room-name`}>{st('form.room_name')}</label>
        <input
          id={`${id}-room-name`}
          aria-describedby={`${id}-room-name-hint`}
          name="room_name"
          maxLength={100}
          value={values.roomName}
          onChange={(event) => set('roomName', event.target.value)}
        />
        <small id={`${id}-room-name-hint`} className="muted">
          {st('form.room_name_hint')}
        </small>
      </div>
      <label className="field">
        <span>{st('form.title')}</span>
        <input name="title" maxLength={200} value={values.title} onChange={(event) => set('title', event.target.value)} />
      </label>
      <label className="field">
        <span>{st('form.describe')}</span>
        <textarea name="describe" maxLength={2000} rows={3} value={values.describe} onChange={(event) => set('describe', event.target.value)} />
      </label>
      <div className="field">
        <label htmlFor={`${id}-tags`}>{st('form.tags')}</label>
        <input
          id={`${id}-tags`}
          aria-describedby={`${id}-tags-hint`}
          name="tags"
          maxLength={200}
          value={values.tags}
          onChange={(event) => set('tags', event.target.value)}
        />
        <small id={`${id}-tags-hint`} className="muted">
          {st('form.tags_hint')}
        </small>
      </div>
      <fieldset className="field room-type">
        <legend>{st('form.type')}</legend>
        {([0, 1, 2] as RoomType[]).map((type) => (
          <label key={type} className="radio">
            <input type="radio" name="room_type" value={type} checked={values.roomType === type} onChange={() => set('roomType', type)} />
            <span>{st(type === 0 ? 'form.type_free' : type === 1 ? 'form.type_vip' : 'form.type_private')}</span>
          </label>
        ))}
      </fieldset>
      {values.roomType !== 0 && (
        <div className="field">
          <label htmlFor={`${id}-price`}>{st('form.price')}</label>
          <input
            id={`${id}-price`}
            aria-describedby={`${id}-price-hint`}
            name="coin_num"
            inputMode="numeric"
            pattern="[0-9]*"
            required
            value={values.price}
            onChange={(event) => set('price', event.target.value)}
          />
          <small id={`${id}-price-hint`} className="muted">
            {st('form.price_hint')}
          </small>
        </div>
      )}
      <StudioError error={localError ?? saving.error} />
      <div className="studio-actions">
        <button type="submit" className="btn btn-primary" disabled={saving.isPending}>
          {room ? st('form.save') : st('form.create')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
