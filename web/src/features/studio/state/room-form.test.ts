import { describe, expect, it } from 'vitest';
import { chatStamp, createBody, editBody, EMPTY_ROOM_FORM, formPrice } from './room-form.ts';

describe('room form', () => {
  it('free rooms cost nothing whatever the price field holds', () => {
    expect(formPrice({ ...EMPTY_ROOM_FORM, roomType: 0, price: '50' })).toBe(0);
    expect(editBody({ ...EMPTY_ROOM_FORM, characterName: 'Seraphina', price: '50' })).toMatchObject({ room_type: 0, coin_num: 0 });
  });

  it('paid rooms take whole prices only; anything else is NaN so the server refuses it', () => {
    expect(formPrice({ ...EMPTY_ROOM_FORM, roomType: 1, price: ' 120 ' })).toBe(120);
    expect(formPrice({ ...EMPTY_ROOM_FORM, roomType: 2, price: '1.5' })).toBeNaN();
    expect(formPrice({ ...EMPTY_ROOM_FORM, roomType: 1, price: '' })).toBeNaN();
  });

  it('the room name falls back to the character name', () => {
    expect(editBody({ ...EMPTY_ROOM_FORM, characterName: ' Seraphina ' }).room_name).toBe('Seraphina');
    expect(editBody({ ...EMPTY_ROOM_FORM, characterName: 'Seraphina', roomName: 'Forest' }).room_name).toBe('Forest');
  });

  it('new rooms carry a SillyTavern-style chat stamp', () => {
    const when = new Date(2026, 11, 1, 9, 5, 7);
    expect(chatStamp(when)).toBe('2026-12-01@09h05m07s');
    expect(createBody({ ...EMPTY_ROOM_FORM, characterName: 'Seraphina', roomType: 1, price: '30' }, when)).toEqual({
      character_name: 'Seraphina',
      character_date: '2026-12-01@09h05m07s',
      room_name: 'Seraphina',
      title: '',
      describe: '',
      room_type: 1,
      coin_num: 30,
      tags: [],
    });
  });

  it('tags are split on Western and Chinese commas, blanks dropped', () => {
    expect(editBody({ ...EMPTY_ROOM_FORM, characterName: 'Seraphina', tags: ' RPG, 恋爱，治愈、 ,' }).tags).toEqual(['RPG', '恋爱', '治愈']);
  });
});
