using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// The keys in the macOS Keychain (the user's default keychain, usually the login keychain), through Security.framework:
/// one generic password per provider, service <c>specsynth</c>, account = the provider. macOS only; compiled everywhere,
/// exercised only on macOS (the tests on Linux cover the choice of store and <see cref="KeychainStatus"/>, not the calls).
/// </summary>
[SupportedOSPlatform("macos")]
internal sealed class KeychainKeyStore : IKeyStore
{
    /// <summary>The generic passwords' service name.</summary>
    public const string Service = "specsynth";

    private static readonly byte[] ServiceBytes = Encoding.UTF8.GetBytes(Service);

    private KeychainKeyStore()
    {
    }

    public string Name => "keychain";

    public string Location => $"macOS Keychain (default keychain), generic passwords with service '{Service}', account = provider";

    /// <summary>The store, or <c>null</c> with the reason: Security.framework missing, or the Keychain not usable (no default
    /// keychain, no permission to ask in this session).</summary>
    public static (KeychainKeyStore? Store, string? Reason) TryOpen()
    {
        if (!NativeLibrary.TryLoad(MacSecurityNativeMethods.Security, out _))
        {
            return (null, "Security.framework cannot be loaded");
        }
        var account = Encoding.UTF8.GetBytes("claude");
        int status;
        try
        {
            status = MacSecurityNativeMethods.SecKeychainFindGenericPasswordItem(IntPtr.Zero, (uint)ServiceBytes.Length, ServiceBytes,
                (uint)account.Length, account, IntPtr.Zero, IntPtr.Zero, out var item);
            Release(item);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return (null, $"the Keychain functions cannot be called: {ex.Message}");
        }
        return status is KeychainStatus.Success or KeychainStatus.ItemNotFound
            ? (new KeychainKeyStore(), null)
            : (null, KeychainStatus.Describe(status));
    }

    public string? Get(string provider)
    {
        var account = Encoding.UTF8.GetBytes(provider);
        var status = MacSecurityNativeMethods.SecKeychainFindGenericPasswordData(IntPtr.Zero, (uint)ServiceBytes.Length, ServiceBytes,
            (uint)account.Length, account, out var length, out var data, IntPtr.Zero);
        if (status == KeychainStatus.ItemNotFound)
        {
            return null;
        }
        Check(status, "read", provider);
        var bytes = new byte[length];
        try
        {
            Marshal.Copy(data, bytes, 0, bytes.Length);
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            MacSecurityNativeMethods.SecKeychainItemFreeContent(IntPtr.Zero, data);
        }
    }

    public void Set(string provider, string key)
    {
        var account = Encoding.UTF8.GetBytes(provider);
        var password = Encoding.UTF8.GetBytes(key);
        try
        {
            var status = MacSecurityNativeMethods.SecKeychainFindGenericPasswordItem(IntPtr.Zero, (uint)ServiceBytes.Length, ServiceBytes,
                (uint)account.Length, account, IntPtr.Zero, IntPtr.Zero, out var item);
            if (status == KeychainStatus.ItemNotFound)
            {
                status = MacSecurityNativeMethods.SecKeychainAddGenericPassword(IntPtr.Zero, (uint)ServiceBytes.Length, ServiceBytes,
                    (uint)account.Length, account, (uint)password.Length, password, IntPtr.Zero);
                Check(status, "store", provider);
                return;
            }
            Check(status, "store", provider);
            try
            {
                Check(MacSecurityNativeMethods.SecKeychainItemModifyAttributesAndData(item, IntPtr.Zero, (uint)password.Length, password),
                    "replace", provider);
            }
            finally
            {
                Release(item);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    public bool Remove(string provider)
    {
        var account = Encoding.UTF8.GetBytes(provider);
        var status = MacSecurityNativeMethods.SecKeychainFindGenericPasswordItem(IntPtr.Zero, (uint)ServiceBytes.Length, ServiceBytes,
            (uint)account.Length, account, IntPtr.Zero, IntPtr.Zero, out var item);
        if (status == KeychainStatus.ItemNotFound)
        {
            return false;
        }
        Check(status, "remove", provider);
        try
        {
            Check(MacSecurityNativeMethods.SecKeychainItemDelete(item), "remove", provider);
            return true;
        }
        finally
        {
            Release(item);
        }
    }

    private static void Release(IntPtr item)
    {
        if (item != IntPtr.Zero)
        {
            MacSecurityNativeMethods.CFRelease(item);
        }
    }

    private static void Check(int status, string what, string provider)
    {
        if (status != KeychainStatus.Success)
        {
            throw new SpecSynthException(ErrorKind.Auth, $"the macOS Keychain could not {what} the key of {provider}: {KeychainStatus.Describe(status)}");
        }
    }
}
