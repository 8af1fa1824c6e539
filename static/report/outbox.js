// The outbox: report submissions waiting for the network, kept in IndexedDB (photos as Blobs).
const DB_NAME = "ioc-report", STORE = "outbox";
let memory = new Map(); // fallback when IndexedDB is unavailable (private browsing): lost on reload

function openDb() {
  return new Promise((resolve, reject) => {
    if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_ref" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = action(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(request && request.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

/** put / all / remove of queued submissions (memory only when IndexedDB is unavailable). */
export const Outbox = {
  async put(item) {
    try { await run("readwrite", (s) => s.put(item)); } catch (e) { memory.set(item.client_ref, item); }
  },
  async all() {
    try { return (await run("readonly", (s) => s.getAll())) || []; } catch (e) { return [...memory.values()]; }
  },
  async remove(ref) {
    memory.delete(ref);
    try { await run("readwrite", (s) => s.delete(ref)); } catch (e) { /* memory only */ }
  },
};
