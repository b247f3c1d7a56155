using System.Security.Cryptography;
using System.Text;
using SpecSynth.Config;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// Picks the key store: <c>SPECSYNTH_KEY_STORE</c> (<c>file</c>, <c>secret-service</c>, <c>keychain</c>,
/// <c>credential-manager</c> or <c>auto</c>) when set, else the operating system's store when it answers (Linux: the
/// Secret Service over D-Bus; macOS: the Keychain; Windows: the Credential Manager), else <see cref="FileKeyStore"/> in
/// the state folder.
/// </summary>
internal static class KeyStores
{
    /// <summary>The variable that forces a store.</summary>
    public const string StoreVariable = "SPECSYNTH_KEY_STORE";

    private static readonly string[] SystemStores = ["secret-service", "keychain", "credential-manager"];

    /// <summary>The store to use, and why the operating system's was not (<c>null</c> when it is used or was not asked for).</summary>
    /// <param name="getEnv">Reads an environment variable.</param>
    public static (IKeyStore Store, string? FallbackReason) Open(Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        return Open(getEnv, CurrentOs(), () => TryOpenSystemStore(getEnv));
    }

    /// <summary>The choice of <see cref="Open(Func{string, string?})"/> for <paramref name="os"/>, with its secret store
    /// opened by <paramref name="tryOpenSystemStore"/> (the store, or <c>null</c> and why it cannot be used).</summary>
    internal static (IKeyStore Store, string? FallbackReason) Open(Func<string, string?> getEnv, KeyStoreOs os,
        Func<(IKeyStore? Store, string? Reason)> tryOpenSystemStore)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        ArgumentNullException.ThrowIfNull(tryOpenSystemStore);
        var file = new FileKeyStore(Path.Combine(StatePaths.StateDir(getEnv), FileKeyStore.FileName));
        var system = SystemStoreName(os);
        var forced = getEnv(StoreVariable)?.Trim().ToLowerInvariant();
        switch (forced)
        {
            case "file":
                return (file, null);
            case null or "" or "auto":
                break;
            case var name when SystemStores.Contains(name) && name != system:
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"{StoreVariable}={name} is {Display(name)}, not available on {OsName(os)}: use {AllowedValues(os)}");
            case var name when name == system:
                var (forcedStore, forcedReason) = tryOpenSystemStore();
                return forcedStore is not null
                    ? (forcedStore, null)
                    : throw new SpecSynthException(ErrorKind.Auth, $"{StoreVariable}={name}, but {Display(name)} cannot be used: {forcedReason}");
            default:
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"{StoreVariable} must be file, secret-service, keychain, credential-manager or auto, got '{forced}'");
        }
        if (system is null)
        {
            return (file, "no secret store of this operating system is supported");
        }
        var (store, reason) = tryOpenSystemStore();
        return store is not null ? (store, null) : (file, reason);
    }

    /// <summary>The name (and <c>SPECSYNTH_KEY_STORE</c> value) of <paramref name="os"/>'s secret store, or <c>null</c>.</summary>
    internal static string? SystemStoreName(KeyStoreOs os) => os switch
    {
        KeyStoreOs.Linux => "secret-service",
        KeyStoreOs.MacOS => "keychain",
        KeyStoreOs.Windows => "credential-manager",
        _ => null,
    };

    /// <summary>The <c>SPECSYNTH_KEY_STORE</c> values <paramref name="os"/> accepts, for messages.</summary>
    internal static string AllowedValues(KeyStoreOs os) =>
        SystemStoreName(os) is { } system ? $"file, {system} or auto" : "file or auto";

    /// <summary>The operating system this process runs on.</summary>
    internal static KeyStoreOs CurrentOs() =>
        OperatingSystem.IsLinux() ? KeyStoreOs.Linux
        : OperatingSystem.IsMacOS() ? KeyStoreOs.MacOS
        : OperatingSystem.IsWindows() ? KeyStoreOs.Windows
        : KeyStoreOs.Other;

    /// <summary>A key's fingerprint for <c>keys list</c>: <c>sha256:</c> and the first 8 hex digits of its SHA-256.</summary>
    public static string Fingerprint(string key) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];

    private static (IKeyStore? Store, string? Reason) TryOpenSystemStore(Func<string, string?> getEnv)
    {
        if (OperatingSystem.IsMacOS())
        {
            return KeychainKeyStore.TryOpen();
        }
        if (OperatingSystem.IsWindows())
        {
            return CredentialManagerKeyStore.TryOpen();
        }
        return SecretServiceKeyStore.TryOpen(getEnv);
    }

    private static string Display(string store) => store switch
    {
        "secret-service" => "the Secret Service",
        "keychain" => "the macOS Keychain",
        _ => "the Windows Credential Manager",
    };

    private static string OsName(KeyStoreOs os) => os switch
    {
        KeyStoreOs.Linux => "Linux",
        KeyStoreOs.MacOS => "macOS",
        KeyStoreOs.Windows => "Windows",
        _ => "this operating system",
    };
}
