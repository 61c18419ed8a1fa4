# Stand-in for dockersamples/examplevotingapp_vote: the same routes, form fields, cookie and
# redis contract as the stock app.py (Flask under gunicorn).
import json
import logging
import os
import random
import socket

from flask import Flask, g, make_response, render_template, request
from redis import Redis

option_a = os.getenv('OPTION_A', 'Cats')
option_b = os.getenv('OPTION_B', 'Dogs')
hostname = socket.gethostname()

app = Flask(__name__)

gunicorn_error_logger = logging.getLogger('gunicorn.error')
app.logger.handlers.extend(gunicorn_error_logger.handlers)
app.logger.setLevel(logging.INFO)


def get_redis():
    # The host name is hard-coded, as in the stock image: the Service must be called redis.
    if not hasattr(g, 'redis'):
        g.redis = Redis(host='redis', db=0, socket_timeout=5)
    return g.redis


@app.route('/', methods=['POST', 'GET'])
def hello():
    voter_id = request.cookies.get('voter_id')
    if not voter_id:
        voter_id = hex(random.getrandbits(64))[2:]

    vote = None
    if request.method == 'POST':
        vote = request.form['vote']
        app.logger.info('Received vote for %s', vote)
        data = json.dumps({'voter_id': voter_id, 'vote': vote})
        get_redis().rpush('votes', data)

    resp = make_response(render_template(
        'index.html', option_a=option_a, option_b=option_b, hostname=hostname, vote=vote))
    resp.set_cookie('voter_id', voter_id)
    return resp
