using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SpecSynth.Providers.Keys;

/// <summary>The Credential Manager functions of advapi32 the Credential Manager store calls (Windows only). Each returns
/// <c>false</c> on failure, with the Win32 error in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
[SupportedOSPlatform("windows")]
internal static partial class WindowsCredentialNativeMethods
{
    public const string Advapi32 = "advapi32.dll";

    /// <summary><c>ERROR_NOT_FOUND</c>: no such credential.</summary>
    public const int ErrorNotFound = 1168;

    /// <summary><c>ERROR_NO_SUCH_LOGON_SESSION</c>: no credential set for this logon (a service, a network logon).</summary>
    public const int ErrorNoSuchLogonSession = 1312;

    [LibraryImport(Advapi32, EntryPoint = "CredWriteW", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredWrite(in NativeCredential credential, uint flags);

    /// <summary>Reads a credential; free <paramref name="credential"/> with <see cref="CredFree"/>.</summary>
    [LibraryImport(Advapi32, EntryPoint = "CredReadW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredRead(string targetName, uint type, uint flags, out IntPtr credential);

    [LibraryImport(Advapi32, EntryPoint = "CredDeleteW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredDelete(string targetName, uint type, uint flags);

    [LibraryImport(Advapi32)]
    public static partial void CredFree(IntPtr buffer);
}
