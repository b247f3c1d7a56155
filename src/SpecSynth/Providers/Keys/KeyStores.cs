using System.Security.Cryptography;
using System.Text;
using SpecSynth.Config;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// Picks the key store: <c>SPECSYNTH_KEY_STORE</c> (<c>file</c> or <c>secret-service</c>) when set, else the operating
/// system's store when one answers (Linux: the Secret Service over D-Bus), else <see cref="FileKeyStore"/> in the state folder.
/// </summary>
internal static class KeyStores
{
    /// <summary>The variable that forces a store.</summary>
    public const string StoreVariable = "SPECSYNTH_KEY_STORE";

    /// <summary>The store to use, and why the operating system's was not (<c>null</c> when it is used or was not asked for).</summary>
    /// <param name="getEnv">Reads an environment variable.</param>
    public static (IKeyStore Store, string? FallbackReason) Open(Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        var file = new FileKeyStore(Path.Combine(StatePaths.StateDir(getEnv), FileKeyStore.FileName));
        var forced = getEnv(StoreVariable)?.Trim().ToLowerInvariant();
        switch (forced)
        {
            case "file":
                return (file, null);
            case "secret-service":
                var (forcedStore, forcedReason) = SecretServiceKeyStore.TryOpen(getEnv);
                return forcedStore is not null
                    ? (forcedStore, null)
                    : throw new SpecSynthException(ErrorKind.Auth, $"{StoreVariable}=secret-service, but the Secret Service cannot be used: {forcedReason}");
            case null or "" or "auto":
                break;
            default:
                throw new SpecSynthException(ErrorKind.InvalidInput, $"{StoreVariable} must be file, secret-service or auto, got '{forced}'");
        }
        if (OperatingSystem.IsLinux())
        {
            var (store, reason) = SecretServiceKeyStore.TryOpen(getEnv);
            return store is not null ? (store, null) : (file, reason);
        }
        return (file, "no secret store of this operating system is supported yet");
    }

    /// <summary>A key's fingerprint for <c>keys list</c>: <c>sha256:</c> and the first 8 hex digits of its SHA-256.</summary>
    public static string Fingerprint(string key) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];
}
