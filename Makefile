# The project's vocabulary: each target is a few lines that call the real tools.
.PHONY: run run-production test shell train eval eval-conversations bench bench-web bench-console bench-production bench-bad-input lint clean

run:    ## install if needed, train if needed, start the action server and Rasa on loopback
	@scripts/run.sh

run-production:  ## several Rasa servers on PostgreSQL and Redis (REFUGE_RASA_SERVERS, REFUGE_DATABASE_URL): see the README
	@scripts/run_production.sh

test:   ## every test: lint, data validation, pure Python, actions, conversations, held-out NLU
	@scripts/test.sh

shell:  ## chat in the terminal with the running assistant (starts it if needed)
	@scripts/shell.sh

train:  ## train the model if data, domain, config or stack changed
	@scripts/bootstrap.sh && scripts/model.sh

eval:   ## held-out NLU evaluation: per-intent precision, recall, F1 and confusions
	@scripts/bootstrap.sh && .venv/bin/python scripts/evaluate_nlu.py --model "$$(scripts/model.sh)"

eval-conversations:  ## the story files played through the public API: questions, facts, voice, law, crisis
	@scripts/evaluate_conversations.sh $(ARGS)

bench:  ## 200 turns through the REST channel, one client: latency and CPU per turn
	@scripts/bench.sh

bench-web:  ## the public API: 50 people typing at once, then its throughput next to Rasa's alone
	@scripts/bench_web.sh

bench-console:  ## the operator console on 10,000 conversations of 20 turns (SQLite, PostgreSQL): list and transcript p50/p95
	@scripts/bootstrap.sh && .venv/bin/python scripts/bench_console.py $(ARGS)

bench-production:  ## the default and the production layouts side by side: people, saturation, long conversation, stored once
	@scripts/bootstrap.sh && .venv/bin/python scripts/bench_production.py --model "$$(scripts/model.sh)" $(ARGS)

bench-bad-input:  ## 10,000 generated bad requests through the public API: answers by status, nothing 5xx
	@scripts/bootstrap.sh && REFUGE_MODEL="$$(scripts/model.sh)" REFUGE_BAD_INPUT_EXAMPLES=$${EXAMPLES:-10000} \
		.venv/bin/python -m pytest tests/test_bad_input.py -q -s

lint:
	@scripts/bootstrap.sh && .venv/bin/ruff check . && .venv/bin/ruff format --check .

clean:  ## remove the venv, the models and the local database (not the model cache)
	rm -rf .venv models var .rasa
