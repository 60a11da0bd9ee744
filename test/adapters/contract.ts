// The contract every channel adapter passes, whatever the platform: the same conversation is
// driven through the real channel library (against a fake platform server or client the test
// starts) and must read the same to the person.

/** What the person sees of one bot message on that channel. */
export interface Shown {
  text: string;
  /** Buttons, when the channel shows them; absent on numbered-text channels. */
  choices?: { id: string; label: string }[];
}

export interface ChannelDriver {
  /** Delivers one message as the platform would and resolves with what the bot sent back. */
  send(message: { user: string; id: string; text?: string; location?: { lat: number; lon: number } }): Promise<Shown[]>;
  /** Taps a button the channel showed (on numbered channels the contract types the number instead). */
  press(message: { user: string; id: string; choice: { id: string; label: string } }): Promise<Shown[]>;
  close(): Promise<void>;
}

const all = (shown: Shown[]) => shown.map((s) => [s.text, ...(s.choices ?? []).map((c) => c.label)].join('\n')).join('\n');

/** Picks the entry whose label matches, by button when there are buttons, else by typing its number. */
async function choose(driver: ChannelDriver, user: string, id: string, shown: Shown[], label: RegExp): Promise<Shown[]> {
  const buttons = shown.flatMap((s) => s.choices ?? []);
  const button = buttons.find((c) => label.test(c.label));
  if (button) return driver.press({ user, id, choice: button });
  const line = all(shown).split('\n').find((l) => /^\d+\. /.test(l) && label.test(l));
  if (!line) throw new Error(`no choice matching ${label} in:\n${all(shown)}`);
  return driver.send({ user, id, text: line.split('.')[0]! });
}

export function channelContract(name: string, makeDriver: () => Promise<ChannelDriver>): void {
  describe(`${name}: the shared channel contract`, () => {
    let driver: ChannelDriver;
    beforeAll(async () => void (driver = await makeDriver()));
    afterAll(() => driver.close());

    test('greets a new person, in their language when it is clear', async () => {
      const shown = await driver.send({ user: 'c-greet', id: 'g1', text: 'hola' });
      expect(all(shown)).toContain('Soy Puente');
    });

    test('offers the languages at once, and the choice works', async () => {
      const first = await driver.send({ user: 'c-lang', id: 'l1', text: '/start' });
      expect(all(first)).toContain('Kreyòl ayisyen');
      const chosen = await choose(driver, 'c-lang', 'l2', first, /Português/);
      expect(all(chosen)).toContain('qual é a sua situação');
    });

    test('a menu choice works by button and by number', async () => {
      const profile = await driver.send({ user: 'c-menu', id: 'm1', text: 'hello' });
      const menu = await choose(driver, 'c-menu', 'm2', profile, /^(\d+\. )?Skip$/);
      expect(all(menu)).toContain('My rights');
      const rights = await choose(driver, 'c-menu', 'm3', menu, /My rights/);
      expect(all(rights)).toContain('Your rights in Honduras');
      const byNumber = await driver.send({ user: 'c-menu', id: 'm4', text: '2' });
      expect(all(byNumber)).toContain('Your rights in Honduras');
    });

    test('a shared location finds the nearest centers', async () => {
      await driver.send({ user: 'c-loc', id: 'o1', text: 'hola' });
      const asked = await driver.send({ user: 'c-loc', id: 'o2', text: 'tengo hambre' });
      expect(all(asked)).toContain('Dónde estás');
      const found = await driver.send({ user: 'c-loc', id: 'o3', location: { lat: 15.5, lon: -88.03 } });
      expect(all(found)).toContain('Centros más cercanos con Comida');
    });

    test('emergency help from the middle of a flow', async () => {
      await driver.send({ user: 'c-sos', id: 's1', text: 'hola' });
      const shown = await driver.send({ user: 'c-sos', id: 's2', text: 'me quieren matar' });
      expect(all(shown)).toContain('911');
    });

    test('the same message delivered twice is answered once', async () => {
      const first = await driver.send({ user: 'c-dup', id: 'd1', text: 'hola' });
      expect(first.length).toBeGreaterThan(0);
      const again = await driver.send({ user: 'c-dup', id: 'd1', text: 'hola' });
      expect(again).toEqual([]);
    });
  });
}
