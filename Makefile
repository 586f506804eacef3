# The two commands: `make run` starts the demo; `make test` runs the whole suite.
SHELL := /bin/bash
BIN := bin/onevisit
ADDR ?= 127.0.0.1:8080
DATA ?= ./onevisit-data
VENDOR := internal/web/static/vendor
GO_TEST_FLAGS ?= -race -count=1 -timeout 20m

.PHONY: run test build assets fonts vet lint fuzz fuzz-short clean

run: build fonts
	$(BIN) demo --addr $(ADDR) --data $(DATA)

# PDF receipts and notices need a TrueType CJK font; without one the demo
# still runs and says so. Installed from Debian when we are root.
FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
fonts:
	@[ -e $(FONT) ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get install -y -qq fonts-droid-fallback >/dev/null 2>&1; } || \
		echo "note: $(FONT) is missing (apt-get install fonts-droid-fallback); PDF documents are disabled"

build: assets
	go build -o $(BIN) ./cmd/onevisit

# Front-end files come from npm (pinned in package-lock.json) and are
# embedded in the binary; nothing third-party is committed.
assets: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

$(VENDOR)/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/

# ECharts draws the dashboard and the big screen (echarts.min.js, Apache-2.0).
$(VENDOR)/echarts.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/

test: assets
	go vet ./...
	go test $(GO_TEST_FLAGS) ./... 2>&1 | tee test-output.txt; status=$${PIPESTATUS[0]}; \
	echo "== go test summary =="; grep -E '^(ok|FAIL|---|panic:|\?)' test-output.txt | grep -v '^?' ; exit $$status

vet:
	gofmt -l . | grep -v node_modules | (! grep .)
	go vet ./...

fuzz:
	go test -run='^$$' -fuzz=FuzzValidateUSCC -fuzztime=30s ./internal/idcode/
	go test -run='^$$' -fuzz=FuzzValidateIDCard -fuzztime=30s ./internal/idcode/
	go test -run='^$$' -fuzz=FuzzValidateOrgCode -fuzztime=30s ./internal/idcode/
	go test -run='^$$' -fuzz=FuzzValidateLicenceID -fuzztime=30s ./internal/idcode/

# Every fuzz target for FUZZTIME each, in CI via .ci/run: 10,000 inputs per target,
# counted rather than timed (a timed run can fail with "context deadline exceeded"
# when the time runs out mid-input); under a minute for all 9; stops at the first
# failing target.
FUZZTIME ?= 10000x
FUZZ_TARGETS := FuzzValidateUSCC:./internal/idcode/ FuzzValidateIDCard:./internal/idcode/ \
	FuzzValidateOrgCode:./internal/idcode/ FuzzValidateLicenceID:./internal/idcode/ \
	FuzzReadJSON:./internal/catalogsync/ FuzzReadXLSX:./internal/catalogsync/ \
	FuzzPut:./internal/uploads/ FuzzDecodeApplication:./internal/api/ FuzzParseDate:./internal/calendar/ \
	FuzzQueryParameters:./internal/api/
fuzz-short:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $${t%%:*} ($(FUZZTIME))"; \
		go test -run='^$$' -fuzz="^$${t%%:*}$$" -fuzztime=$(FUZZTIME) "$${t#*:}"; \
	done

clean:
	rm -rf bin $(VENDOR) node_modules test-output.txt
