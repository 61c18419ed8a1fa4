// Stand-in for dockersamples/examplevotingapp_result: the same hard-coded connection string,
// query and port as the stock server.js (Node.js, express, pg). The stock page receives the
// scores over socket.io; this one polls GET /scores once a second (Debian has no socket.io
// server package), so one replica is all it is tested with, as with the stock image.
/* global setTimeout */
'use strict';

const express = require('express');
const path = require('path');
const { Pool } = require('pg');

const port = process.env.PORT || 4000;
const pool = new Pool({ connectionString: 'postgres://postgres:postgres@db/postgres' });
pool.on('error', (err) => console.error('Error in idle db client:', err.message));

let scores = { a: 0, b: 0 };
let connected = false;

async function getVotes() {
  try {
    const result = await pool.query('SELECT vote, COUNT(id) AS count FROM votes GROUP BY vote');
    const next = { a: 0, b: 0 };
    for (const row of result.rows) next[row.vote] = parseInt(row.count, 10);
    scores = next;
    if (!connected) { connected = true; console.log('Connected to db'); }
  } catch (err) {
    connected = false;
    console.error('Waiting for db:', err.message);
  }
  setTimeout(getVotes, 1000);
}
getVotes();

const app = express();
app.get('/scores', (req, res) => res.json(scores));
app.get('/', (req, res) => res.sendFile(path.resolve(__dirname, 'views', 'index.html')));

app.listen(port, () => console.log(`App running on port ${port}`));
