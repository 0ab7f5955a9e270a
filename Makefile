# rehearse — set-up, demo, tests and benchmarks. `make demo` and `make test` work on a fresh Debian machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# espeak-ng speaks (pyttsx3 loads libespeak-ng), PortAudio captures and plays (sounddevice has none of its own),
# sox measures audio, PulseAudio is the virtual microphone the tests record through.
APT_PACKAGES := espeak-ng libespeak-ng1 libportaudio2 sox pulseaudio pulseaudio-utils libasound2-plugins alsa-utils
# The tests also render the HTML report in a real browser, and the robot candidate speaks with flite.
TEST_APT_PACKAGES := chromium flite

.PHONY: setup system demo test bench lint clean

setup: system $(VENV)/.installed

system:
	@missing=$$(for p in $(APT_PACKAGES) $(EXTRA_APT); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run:  sudo apt-get install -y $$missing"; exit 2; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,online]'
	touch $@

demo: setup
	$(BIN)/rehearse demo

test: EXTRA_APT = $(TEST_APT_PACKAGES)
test: setup
	@eval "$$(bash .ci/pulse.sh)" && $(BIN)/python -m pytest -q

bench: EXTRA_APT = flite
bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/ruff check rehearse tests bench && $(BIN)/ruff format --check rehearse tests bench && $(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
