# Every target goes through build.sh (the one build entry point) or a built jar.
.PHONY: build test clean

build:
	./build.sh package

test:
	./build.sh test

clean:
	./build.sh clean
