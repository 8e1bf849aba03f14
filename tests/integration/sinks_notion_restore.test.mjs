// A room that storage lost (storage-memory, restart) comes back with its history read from
// Notion before the first participant sees it, across several pages of query results.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNotionDouble } from '../notion-double/notion-double.mjs';
import { testWithLogs } from './lib/server.mjs';
import { uniqueRoom, joined } from './lib/client.mjs';
import { NOTION_TOKEN, notionSink, startWithSinks, finalizeStories, waitFor } from './lib/sinks.mjs';

for (const dataSource of [false, true]) {
  describe(`restore from Notion (${dataSource ? 'data source' : 'database'})`, () => {
    let notion;
    let server;
    const it = testWithLogs(() => server);
    before(async () => { notion = await startNotionDouble({ token: NOTION_TOKEN }); });
    after(async () => { await server?.stop(); await notion?.close(); });

    it('rebuilds a lost room with its history from the rows', { timeout: 60000 }, async () => {
      const sinks = [notionSink(notion, {}, { dataSource })];
      const room = uniqueRoom('restore');
      const other = uniqueRoom('other');
      const count = dataSource ? 3 : 130; // 130: more than one page of 100 (and short pages)
      server = await startWithSinks(sinks);
      const ids = await finalizeStories(server, room, Array.from({ length: count }, (_, i) => `story ${i}`));
      const otherIds = await finalizeStories(server, other, ['not this room']);
      await waitFor(() => notion.pages.size === count + 1, { what: 'every row', timeoutMs: 20000 });
      const before = (await server.http(`/api/rooms/${room}/history`)).json.results;
      await server.stop();

      server = await startWithSinks(sinks);
      assert.equal((await server.http(`/api/rooms/${room}`)).status, 404, 'storage lost the room');
      const c = await joined(server.wsUrl, room, 'Back');
      const history = c.welcome.room.history;
      assert.equal(history.length, Math.min(count, 20), 'welcome shows the last 20');
      const all = (await server.http(`/api/rooms/${room}/history`)).json.results;
      assert.equal(all.length, count);
      assert.deepEqual(all.map((h) => h.resultId), ids, 'every result, oldest first');
      assert.deepEqual(all, before, 'exactly the history there was');
      assert.ok(!all.some((h) => otherIds.includes(h.resultId)));
      assert.ok(notion.count('POST', dataSource ? '/v1/data_sources/' : '/v1/databases/') > 0);
      await c.close();
      // Restoring wrote nothing new.
      assert.equal(notion.pages.size, count + 1);
    });
  });
}
