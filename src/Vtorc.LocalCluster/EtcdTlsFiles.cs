namespace Vtorc.LocalCluster;

/// <summary>
/// PEM files for an etcd that serves clients over mutual TLS: its own certificate and key, the CA that signs
/// client certificates, and a client certificate/key the fixture uses for its readiness probe.
/// </summary>
public sealed record EtcdTlsFiles(
    string ServerCertPath,
    string ServerKeyPath,
    string CaPath,
    string ClientCertPath,
    string ClientKeyPath);
