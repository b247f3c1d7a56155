using System.Runtime.InteropServices;

namespace SpecSynth.Projects;

/// <summary>Linux's <c>struct statx</c> (the same layout on every architecture): the fields the walk and the context
/// index read (<see cref="EntryStat"/>, <see cref="Context.Index.FileSignature"/>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    /// <summary>The file type and mode bits.</summary>
    [FieldOffset(28)]
    public ushort Mode;

    /// <summary>The inode number.</summary>
    [FieldOffset(32)]
    public ulong Ino;

    /// <summary>The size in bytes.</summary>
    [FieldOffset(40)]
    public ulong Size;

    /// <summary>The status change time, seconds.</summary>
    [FieldOffset(96)]
    public long CtimeSec;

    /// <summary>The status change time, nanoseconds.</summary>
    [FieldOffset(104)]
    public uint CtimeNsec;

    /// <summary>The modification time, seconds.</summary>
    [FieldOffset(112)]
    public long MtimeSec;

    /// <summary>The modification time, nanoseconds.</summary>
    [FieldOffset(120)]
    public uint MtimeNsec;
}
