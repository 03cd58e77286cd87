// Command dev-pki writes the development certificates of a secured Temporal cluster. Two CAs:
//
//   - ca: the frontend's server certificate (server) and one client certificate for each identity
//     that calls the frontend (the API, the worker, an operator);
//   - internode-ca: the one certificate the server's own services present to each other and to the
//     internal frontend (internode), which every caller reaches as system administrator; no client
//     of the frontend holds a certificate of this CA, so none can reach the internal frontend.
//
// For development and the tests only: each CA's key lies beside its certificate. Existing files
// are kept, so that a running cluster and its clients keep trusting each other; -force writes new ones.
//
// With -split (docker-compose.yml), each consumer also gets a folder of its own with only what it
// needs, owned by -owner: server/ (the frontend's and the internode certificates, both CAs), and
// for each client identity <name>/ (ca.pem, client.pem, client.key). A container mounts its folder
// only, so that no client ever holds the internode key.
//
//	go run ./deploy/dev-pki/main.go -out ~/.cache/tenderflow/pki [-hosts localhost,127.0.0.1,temporal] [-force] [-split -owner 1000:1000]
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The client identities: the certificate's common name is the identity.
var clients = []string{"tenderflow-api", "tenderflow-worker", "operator", "temporal-ui"}

func main() {
	out := flag.String("out", "", "the folder the certificates go to")
	hosts := flag.String("hosts", "localhost,127.0.0.1,::1,temporal,temporal-frontend", "the names and addresses of the server certificate")
	days := flag.Int("days", 825, "how long the certificates are valid")
	force := flag.Bool("force", false, "write new certificates even if some exist")
	split := flag.Bool("split", false, "also write a folder per consumer with only its files")
	owner := flag.String("owner", "", "uid:gid of the split folders and their files")
	flag.Parse()
	if *out == "" {
		fail(errors.New("-out is required"))
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		fail(err)
	}
	if !*force && *split && exists(filepath.Join(*out, "server", "server.key")) && !exists(filepath.Join(*out, "ca.pem")) {
		// The consumers' folders were filled by someone else (the organisation's certificates): never replaced.
		fmt.Printf("dev-pki: the folders in %s hold certificates this tool did not write; kept\n", *out)
		return
	}
	if !*force && exists(filepath.Join(*out, "ca.pem")) && exists(filepath.Join(*out, "temporal-ui.key")) && exists(filepath.Join(*out, "internode.key")) {
		fmt.Printf("dev-pki: certificates in %s are kept\n", *out)
	} else {
		generate(*out, *hosts, time.Duration(*days)*24*time.Hour)
	}
	if *split {
		splitFolders(*out, *owner)
	}
}

func generate(out, hosts string, validity time.Duration) {

	ca, caKey := newCA(out, "ca", "Tenderflow development CA", validity)
	internodeCA, internodeCAKey := newCA(out, "internode-ca", "Tenderflow development internode CA", validity)

	// The frontend's server certificate; the internode certificate is both server and client.
	sign(out, "server", withHosts(leaf("temporal", validity, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}), hosts), ca, caKey)
	internode := leaf("temporal-internode", validity, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth})
	sign(out, "internode", withHosts(internode, "temporal-internode,"+hosts), internodeCA, internodeCAKey)
	for _, name := range clients {
		sign(out, name, leaf(name, validity, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}), ca, caKey)
	}
	fmt.Printf("dev-pki: CA, server and client certificates (%s) written to %s\n", strings.Join(clients, ", "), out)
}

// splitFolders copies each consumer's files into a folder of its own, owned by owner (uid:gid).
func splitFolders(out, owner string) {
	folders := map[string][][2]string{
		"server": {{"ca.pem", "ca.pem"}, {"server.pem", "server.pem"}, {"server.key", "server.key"}, {"internode-ca.pem", "internode-ca.pem"}, {"internode.pem", "internode.pem"}, {"internode.key", "internode.key"}},
	}
	for _, name := range clients {
		folders[name] = [][2]string{{"ca.pem", "ca.pem"}, {name + ".pem", "client.pem"}, {name + ".key", "client.key"}}
	}
	uid, gid := -1, -1
	if owner != "" {
		if _, err := fmt.Sscanf(owner, "%d:%d", &uid, &gid); err != nil {
			fail(fmt.Errorf("-owner must be uid:gid: %w", err))
		}
	}
	for folder, files := range folders {
		dir := filepath.Join(out, folder)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			fail(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(out, f[0]))
			if err != nil {
				fail(err)
			}
			mode := os.FileMode(0o644)
			if strings.HasSuffix(f[1], ".key") {
				mode = 0o600
			}
			target := filepath.Join(dir, f[1])
			if err := os.WriteFile(target, data, mode); err != nil {
				fail(err)
			}
			if err := os.Chmod(target, mode); err != nil {
				fail(err)
			}
			if uid >= 0 {
				if err := os.Chown(target, uid, gid); err != nil {
					fail(err)
				}
			}
		}
		if uid >= 0 {
			if err := os.Chown(dir, uid, gid); err != nil {
				fail(err)
			}
		}
	}
	fmt.Printf("dev-pki: a folder per consumer in %s\n", out)
}

func newCA(dir, name, commonName string, validity time.Duration) (*x509.Certificate, *ecdsa.PrivateKey) {
	key := newKey()
	template := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: commonName, Organization: []string{"Tenderflow (development)"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		fail(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		fail(err)
	}
	write(dir, name, der, key)
	return cert, key
}

func withHosts(c *x509.Certificate, hosts string) *x509.Certificate {
	for _, h := range strings.Split(hosts, ",") {
		h = strings.TrimSpace(h)
		if ip := net.ParseIP(h); ip != nil {
			c.IPAddresses = append(c.IPAddresses, ip)
		} else if h != "" {
			c.DNSNames = append(c.DNSNames, h)
		}
	}
	return c
}

func leaf(name string, validity time.Duration, usage []x509.ExtKeyUsage) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name, Organization: []string{"Tenderflow (development)"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  usage,
	}
}

func sign(dir, name string, template, ca *x509.Certificate, caKey *ecdsa.PrivateKey) {
	key := newKey()
	der, err := x509.CreateCertificate(rand.Reader, template, ca, &key.PublicKey, caKey)
	if err != nil {
		fail(err)
	}
	write(dir, name, der, key)
}

// write stores <name>.pem (the certificate) and <name>.key (its PKCS #8 key, readable by the owner only).
func write(dir, name string, der []byte, key *ecdsa.PrivateKey) {
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		fail(err)
	}
}

func newKey() *ecdsa.PrivateKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fail(err)
	}
	return key
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		fail(err)
	}
	return n
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "dev-pki:", err)
	os.Exit(1)
}
