# Stand-in for dockersamples/examplevotingapp_worker (a .NET program in the stock image): the
# same hard-coded connections, table and loop. It takes JSON votes from the redis list "votes"
# and keeps one row per voter in postgres, so a voter who changes their mind is counted once.
# Unlike the stock worker, which pops a vote before it writes it, it moves the vote to the list
# "votes:processing" (LMOVE) and removes it only once postgres has it, and it retries the write:
# a redis that dies before its answer to the take reaches the worker, or a db that goes away,
# delays a vote without dropping it. A vote taken twice is written twice, to the same row.
import json
import sys
import time

import psycopg2
import redis

DB = 'host=db user=postgres password=postgres dbname=postgres connect_timeout=5'
PROCESSING = 'votes:processing'


def log(message):
    print(message, flush=True)


def open_db():
    while True:
        try:
            conn = psycopg2.connect(DB)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute('CREATE TABLE IF NOT EXISTS votes ('
                            'id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)')
            log('Connected to db')
            return conn
        except psycopg2.Error as e:
            log(f'Waiting for db: {str(e).strip()}')
            time.sleep(1)


def open_redis():
    while True:
        try:
            r = redis.Redis(host='redis', socket_timeout=5, socket_connect_timeout=5)
            r.ping()
            log('Connected to redis')
            return r
        except redis.RedisError as e:
            log(f'Waiting for redis: {e}')
            time.sleep(1)


def save(conn, voter_id, vote):
    with conn.cursor() as cur:
        cur.execute('INSERT INTO votes (id, vote) VALUES (%s, %s) '
                    'ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote', (voter_id, vote))


def main():
    conn = open_db()
    r = open_redis()
    while True:
        try:
            # A vote left in processing (taken, not yet removed) comes first, so votes keep their order.
            item = r.lindex(PROCESSING, 0)
            if item is None:
                item = r.execute_command('LMOVE', 'votes', PROCESSING, 'LEFT', 'RIGHT')
        except redis.RedisError as e:
            log(f'Reconnecting Redis: {e}')
            r = open_redis()
            continue
        if item is None:
            time.sleep(0.1)
            continue
        vote = json.loads(item)
        log(f"Processing vote for '{vote['vote']}' by '{vote['voter_id']}'")
        while True:
            try:
                save(conn, vote['voter_id'], vote['vote'])
                break
            except psycopg2.Error as e:
                log(f'Reconnecting DB: {str(e).strip()}')
                conn = open_db()
        try:
            r.lrem(PROCESSING, 1, item)
        except redis.RedisError as e:
            # Still in processing: written again at the next turn, to the same row.
            log(f'Reconnecting Redis: {e}')
            r = open_redis()


if __name__ == '__main__':
    sys.exit(main())
