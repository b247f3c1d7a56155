using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// The keys in the Windows Credential Manager (the user's credential set, protected by DPAPI), through advapi32: one
/// generic credential per provider, target <c>specsynth:PROVIDER</c> (see <see cref="CredentialManagerFormat"/>). Windows
/// only; compiled everywhere, exercised only on Windows (the tests on Linux cover the choice of store and the format).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class CredentialManagerKeyStore : IKeyStore
{
    private CredentialManagerKeyStore()
    {
    }

    public string Name => "credential-manager";

    public string Location => $"Windows Credential Manager, generic credentials '{CredentialManagerFormat.TargetPrefix}PROVIDER'";

    /// <summary>The store, or <c>null</c> with the reason (no credential set for this logon session, e.g. a service).</summary>
    public static (CredentialManagerKeyStore? Store, string? Reason) TryOpen()
    {
        var store = new CredentialManagerKeyStore();
        try
        {
            store.Get("claude");
            return (store, null);
        }
        catch (SpecSynthException ex)
        {
            return (null, ex.Message);
        }
    }

    public string? Get(string provider)
    {
        if (!WindowsCredentialNativeMethods.CredRead(CredentialManagerFormat.Target(provider), CredentialManagerFormat.TypeGeneric, 0, out var pointer))
        {
            var error = Marshal.GetLastPInvokeError();
            return error == WindowsCredentialNativeMethods.ErrorNotFound ? null : throw Failure("read", provider, error);
        }
        try
        {
            var credential = Marshal.PtrToStructure<NativeCredential>(pointer);
            var blob = new byte[credential.CredentialBlobSize];
            try
            {
                Marshal.Copy(credential.CredentialBlob, blob, 0, blob.Length);
                ZeroNative(credential.CredentialBlob, blob.Length);
                return CredentialManagerFormat.Decode(blob);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(blob);
            }
        }
        finally
        {
            WindowsCredentialNativeMethods.CredFree(pointer);
        }
    }

    public void Set(string provider, string key)
    {
        var blob = CredentialManagerFormat.Encode(key);
        var target = Marshal.StringToHGlobalUni(CredentialManagerFormat.Target(provider));
        var userName = Marshal.StringToHGlobalUni(provider);
        var comment = Marshal.StringToHGlobalUni($"specsynth API key ({provider})");
        var native = Marshal.AllocHGlobal(Math.Max(blob.Length, 1));
        try
        {
            Marshal.Copy(blob, 0, native, blob.Length);
            var credential = CredentialManagerFormat.Build(target, userName, comment, native, blob.Length);
            if (!WindowsCredentialNativeMethods.CredWrite(in credential, 0))
            {
                throw Failure("store", provider, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            ZeroNative(native, blob.Length);
            Marshal.FreeHGlobal(native);
            CryptographicOperations.ZeroMemory(blob);
            Marshal.FreeHGlobal(comment);
            Marshal.FreeHGlobal(userName);
            Marshal.FreeHGlobal(target);
        }
    }

    public bool Remove(string provider)
    {
        if (WindowsCredentialNativeMethods.CredDelete(CredentialManagerFormat.Target(provider), CredentialManagerFormat.TypeGeneric, 0))
        {
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        if (error != WindowsCredentialNativeMethods.ErrorNotFound)
        {
            throw Failure("remove", provider, error);
        }
        return false;
    }

    private static void ZeroNative(IntPtr pointer, int length)
    {
        for (var i = 0; i < length; i++)
        {
            Marshal.WriteByte(pointer, i, 0);
        }
    }

    private static SpecSynthException Failure(string what, string provider, int error) =>
        new(ErrorKind.Auth, $"the Windows Credential Manager could not {what} the key of {provider}: {new Win32Exception(error).Message} (error {error})"
            + (error == WindowsCredentialNativeMethods.ErrorNoSuchLogonSession ? "; this logon session has no credential set (a service or network logon?): set SPECSYNTH_KEY_STORE=file" : ""));
}
