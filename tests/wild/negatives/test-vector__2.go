package hooks

import "testing"

// Test vectors: FIPS 180-4 examples and random fixtures; the secret used by the
// imagen.ai callback in production is IMAGEN_WEBHOOK_SECRET from the environment.
var digestVectors = []struct{ in, sha256 string }{
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"fixture-1", "bf86ec3f0d42c130fa788e9bd71bd1f847c07a0710c75037a29472d3f4427add"},
	{"fixture-2", "d81ff45f28df81f8c40453201bdad745025cbe1f5ce47790efde4b5baaddbda5"},
}

func TestDigest(t *testing.T) {
	for _, v := range digestVectors[:2] { // the fixtures are checked in golden_test.go
		if got := sha256Hex([]byte(v.in)); got != v.sha256 {
			t.Fatalf("sha256(%q) = %s", v.in, got)
		}
	}
}
