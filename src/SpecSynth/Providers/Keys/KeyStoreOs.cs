namespace SpecSynth.Providers.Keys;

/// <summary>The operating systems whose secret store <see cref="KeyStores"/> knows; the seam that lets the choice of store
/// be tested on any of them.</summary>
internal enum KeyStoreOs
{
    /// <summary>Linux: the freedesktop Secret Service over D-Bus (<see cref="SecretServiceKeyStore"/>).</summary>
    Linux,

    /// <summary>macOS: the login Keychain (<see cref="KeychainKeyStore"/>).</summary>
    MacOS,

    /// <summary>Windows: the Credential Manager (<see cref="CredentialManagerKeyStore"/>).</summary>
    Windows,

    /// <summary>Any other system: no secret store, only the file.</summary>
    Other,
}
