# Log frames per entry of the response cache schemas (session 15 unique index "A" vs session 16 pointer tables "B"),
# deterministic replay with python sqlite3 (docs/benchmarks.md, session 16, helper cachepages). Usage: python3 cache-replay.py
import sqlite3, os, random, hashlib, sys, tempfile
A_SCHEMA="""CREATE TABLE entries (hash INTEGER NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, expires_at INTEGER NULL, sliding_ms INTEGER NULL, absolute_at INTEGER NULL);
CREATE UNIQUE INDEX entries_hash ON entries(hash); CREATE INDEX entries_expiry ON entries(expires_at);"""
A_UP="""INSERT INTO entries (hash, key, value, expires_at, sliding_ms, absolute_at) VALUES (?1, ?2, ?3, ?4, NULL, ?4)
ON CONFLICT(hash) DO UPDATE SET key = excluded.key, value = excluded.value, expires_at = excluded.expires_at, sliding_ms = excluded.sliding_ms, absolute_at = excluded.absolute_at"""
B_SCHEMA="""CREATE TABLE cache_items (hash INTEGER NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, expires_at INTEGER NULL, sliding_ms INTEGER NULL, absolute_at INTEGER NULL);
CREATE INDEX cache_items_expiry ON cache_items(expires_at);
CREATE TABLE cache_recent (hash INTEGER PRIMARY KEY, item INTEGER NOT NULL);
CREATE TABLE cache_slots (hash INTEGER PRIMARY KEY, item INTEGER NOT NULL);
CREATE TRIGGER cache_items_added AFTER INSERT ON cache_items BEGIN INSERT INTO cache_recent (hash, item) VALUES (new.hash, new.rowid); END;
CREATE TRIGGER cache_items_removed AFTER DELETE ON cache_items BEGIN DELETE FROM cache_recent WHERE hash = old.hash AND item = old.rowid; DELETE FROM cache_slots WHERE hash = old.hash AND item = old.rowid; END;"""
B_INS="INSERT INTO cache_items (hash, key, value, expires_at, sliding_ms, absolute_at) VALUES (?1, ?2, ?3, ?4, NULL, ?4)"
MERGE=["INSERT OR REPLACE INTO cache_slots (hash, item) SELECT hash, item FROM cache_recent","DELETE FROM cache_recent"]
def run(kind, prefill, batch, commits=60, M=1024):
    path=os.path.join(tempfile.gettempdir(), f'cache-replay-{kind}.db')
    for s in ('','-wal','-shm'):
        if os.path.exists(path+s): os.remove(path+s)
    c=sqlite3.connect(path, isolation_level=None)
    c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA synchronous=NORMAL'); c.execute('PRAGMA wal_autocheckpoint=0')
    c.executescript(A_SCHEMA if kind=='A' else B_SCHEMA)
    rnd=random.Random(1); n=[0]; unmerged=[0]; t=[1_700_000_000_000]
    def commit(k):
        c.execute('BEGIN IMMEDIATE')
        for _ in range(k):
            key=hashlib.sha256(str(n[0]).encode()).hexdigest(); n[0]+=1; t[0]+=1
            h=int(key[:16],16); h = h-(1<<64) if h>=1<<63 else h
            v=rnd.randbytes(293)
            if kind=='A': c.execute(A_UP,(h,key,v,t[0]+7*86400000))
            else: c.execute(B_INS,(h,key,v,t[0]+7*86400000)); unmerged[0]+=1
        if kind=="B" and unmerged[0]>=M:
            for s in MERGE: c.execute(s)
            unmerged[0]=0
        c.execute('COMMIT')
    for _ in range(prefill//100): commit(100)
    c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    frames=0
    for _ in range(commits):
        before=os.path.getsize(path+'-wal')
        commit(batch)
        frames+=(os.path.getsize(path+'-wal')-before)//(4096+24)
        if os.path.getsize(path+'-wal')>200_000_000: c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    return frames/(commits*batch)
for prefill in (16000, 100000):
    for batch in (20,100):
        print(prefill, batch, 'A %.3f' % run('A',prefill,batch,commits=max(60, 2048//batch*2)), 'B %.3f' % run('B',prefill,batch,commits=max(60, 2048//batch*2)), flush=True)
for prefill in (16000, 100000):
    for batch in (20, 100):
        print(prefill, batch, *[f'B M={M} %.3f' % run('B', prefill, batch, commits=max(60, 4096//batch*2), M=M) for M in (256, 512, 1024, 2048)], flush=True)
for kind in 'AB':
    for s in ('', '-wal', '-shm'):
        p = os.path.join(tempfile.gettempdir(), f'cache-replay-{kind}.db') + s
        if os.path.exists(p): os.remove(p)
