# rapport: build, test, demo, install. Every target works from any directory:
#   make -C path/to/rapport test    or    make -f path/to/rapport/Makefile install PREFIX=~/.local
ROOT    := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
PREFIX  ?= /usr/local
SWIFT   ?= swift
PACKAGE := --package-path $(ROOT)
RELEASE := $(ROOT)/.build/release/rapport
DEMO    := $(ROOT)/demo-journal

.PHONY: all deps build test dependent stress fuzz demo install uninstall bench eval clean

all: build

# Installs pkg-config, libgit2-dev and the CLIs the tests use (git, flock) when missing: with
# apt-get as root, otherwise it prints the command to run.
deps:
	@sh $(ROOT)/scripts/deps.sh

# The Swift runtime and Foundation are linked in: the installed binary needs no toolchain, and
# starts about 9 ms sooner (no dynamic relocation of the Swift libraries), a sixth of a recording.
build: deps
	$(SWIFT) build $(PACKAGE) -c release --static-swift-stdlib

# The suites run as a few test processes at once (scripts/test.sh says why).
test: deps
	$(SWIFT) build $(PACKAGE) --build-tests
	SWIFT=$(SWIFT) bash $(ROOT)/scripts/test.sh $(ROOT)

# A demo journal in ./demo-journal, then what a manager would look at first: who is due, a
# check, last week's digest (and demo-journal/digest.html); then a push to ./demo-remote.git.
demo: build
	rm -rf $(DEMO)
	$(RELEASE) demo $(DEMO) --people 8 --weeks 26 --seed 42
	cd $(DEMO) && $(RELEASE) person list
	@echo
	@cd $(DEMO) && $(RELEASE) due; status=$$?; [ $$status -eq 0 ] || [ $$status -eq 3 ]
	@echo
	cd $(DEMO) && $(RELEASE) check
	@echo
	cd $(DEMO) && $(RELEASE) digest --week last
	@# The HTML digest sits beside the journal's files; git is told to ignore it locally.
	cd $(DEMO) && echo /digest.html >> .git/info/exclude && $(RELEASE) digest --week last --format html --out digest.html
	@echo
	rm -rf $(ROOT)/demo-remote.git && git init -q --bare -b main $(ROOT)/demo-remote.git
	cd $(DEMO) && $(RELEASE) remote add origin $(ROOT)/demo-remote.git && $(RELEASE) sync
	git -C $(ROOT)/demo-remote.git log --oneline -1

install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/rapport
	@# The manual, made from the commands' own help by swift-argument-parser's generate-manual.
	$(SWIFT) build $(PACKAGE) --product generate-manual
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	"$$($(SWIFT) build $(PACKAGE) --show-bin-path)/generate-manual" $(RELEASE) --output-directory $(DESTDIR)$(PREFIX)/share/man/man1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	$(RELEASE) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rapport
	install -d $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	$(RELEASE) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_rapport
	install -d $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(RELEASE) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/rapport.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rapport $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rapport \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_rapport $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/rapport.fish \
	  $(DESTDIR)$(PREFIX)/share/man/man1/rapport.1

# Another package can depend on rapport's libraries (GitStore, Age, Journal, Digest): builds one.
dependent: deps
	sh $(ROOT)/scripts/dependent.sh

# The long forms of the crash harness and the sync race: 1,000 writes killed with SIGKILL at
# random moments (RAPPORT_CRASH_SEED replays a run), and four clones racing 25 syncs each.
stress: deps
	$(SWIFT) build $(PACKAGE) --build-tests
	RAPPORT_CRASH_KILLS=1000 RAPPORT_RACE_ROUNDS=25 RAPPORT_WRITER_ENTRIES=50 $(SWIFT) test $(PACKAGE) --skip-build --filter 'CrashTests|RacingSyncTests'

# libFuzzer on every journal-file parser, from the committed seed corpus (FUZZ_SECONDS, default
# 600). Built in its own scratch folder with -sanitize=fuzzer; new inputs go to .build/fuzz/corpus
# and a crashing input to .build/fuzz/crash-*.
FUZZ_SECONDS ?= 600
fuzz: deps
	$(SWIFT) build $(PACKAGE) --scratch-path $(ROOT)/.build/fuzz -c release --product rapport-fuzz \
	  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING
	mkdir -p $(ROOT)/.build/fuzz/corpus
	$(ROOT)/.build/fuzz/release/rapport-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=5 \
	  -artifact_prefix=$(ROOT)/.build/fuzz/ $(ROOT)/.build/fuzz/corpus $(ROOT)/Fuzz/corpus

# Timings outside the test suite: every everyday command (record beside git add + commit, digests,
# list, search, prep, due, check) on ~1k, ~10k and ~100k-entry journals with hyperfine, written to
# bench/results.md; then recording into a 10k-entry journal against the git CLI,
# generating the 100 x 520 demo journal, the digest on ~10k and ~100k-entry journals, and pushing
# and pulling 1,000 entries over file:// and ssh beside the git CLI, and the Age library beside the
# age CLI with the digest on encrypt: all journals beside plain ones.
bench: build
	bash $(ROOT)/bench/perf.sh $(RELEASE)
	sh $(ROOT)/bench/record.sh $(RELEASE)
	sh $(ROOT)/bench/digest.sh $(RELEASE)
	bash $(ROOT)/bench/sync.sh $(RELEASE)
	sh $(ROOT)/bench/age.sh $(RELEASE)

# The digest's "Needs attention" signals against ground truth: 20 seeded generated years per
# noise level (0.20, 0.33, then the default 0.25), each through 52 weekly digests; recall per
# episode kind, false alarms per 20 person-weeks, precision (docs/Evaluation.md). The last line
# is the summary at the default noise. rapport-eval --seeds N --noise X gives a quicker run.
eval: build
	$(ROOT)/.build/release/rapport-eval

clean:
	rm -rf $(ROOT)/.build $(DEMO) $(ROOT)/demo-remote.git $(ROOT)/bench/journals
