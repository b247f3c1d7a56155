using System.Runtime.InteropServices;

namespace SpecSynth.Providers.Keys;

/// <summary>Win32 <c>CREDENTIALW</c>, blittable: strings and the blob are pointers the caller allocates and frees.
/// <c>FILETIME LastWritten</c> is two 32-bit halves, so the layout matches on 32- and 64-bit Windows.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeCredential
{
    public uint Flags;
    public uint Type;
    public IntPtr TargetName;
    public IntPtr Comment;
    public uint LastWrittenLow;
    public uint LastWrittenHigh;
    public uint CredentialBlobSize;
    public IntPtr CredentialBlob;
    public uint Persist;
    public uint AttributeCount;
    public IntPtr Attributes;
    public IntPtr TargetAlias;
    public IntPtr UserName;
}
