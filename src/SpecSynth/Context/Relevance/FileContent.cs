using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// The bytes of a candidate for scanning, in a buffer the caller owns: the scan's redacted text when it has one, else
/// the file read from disk. Binary content (a NUL byte early on) and invalid UTF-8 are refused: such a file can never
/// reach a prompt, so it is not ranked.
/// </summary>
internal sealed class FileContent : IDisposable
{
    private const int BinarySniffBytes = 8192;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

    /// <summary>Loads <paramref name="candidate"/>; the bytes, or <c>null</c> when it cannot be ranked by content
    /// (<paramref name="unreadable"/> tells whether it cannot be ranked at all: binary, not UTF-8, unreadable).</summary>
    public ReadOnlySpan<byte> Load(Candidate candidate, long maxBytes, out bool unreadable, out bool loaded)
    {
        unreadable = false;
        loaded = false;
        if (candidate.Content is { } text)
        {
            Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
            loaded = true;
            return _buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, _buffer));
        }
        if (candidate.Bytes <= 0 || candidate.Bytes > maxBytes)
        {
            return default;
        }
        int length;
        Ensure((int)candidate.Bytes + 1);
        if (PosixFile.TryRead(candidate.FullPath, candidate.Bytes, _buffer, out length))
        {
            if (length > maxBytes)
            {
                return default; // grew past the limit since the walk: as if it had been too large then
            }
        }
        else if (!ReadPortably(candidate.FullPath, maxBytes, out length, out unreadable))
        {
            return default;
        }
        var bytes = _buffer.AsSpan(0, length);
        if (bytes[..Math.Min(length, BinarySniffBytes)].Contains((byte)0) || !Utf8.IsValid(bytes))
        {
            unreadable = true;
            return default;
        }
        loaded = true;
        return bytes;
    }

    /// <summary>Reads the file through a <see cref="Microsoft.Win32.SafeHandles.SafeFileHandle"/> (any platform; what
    /// decides that a file cannot be read); <c>false</c> when it is not read (too large, or
    /// <paramref name="unreadable"/>).</summary>
    private bool ReadPortably(string path, long maxBytes, out int length, out bool unreadable)
    {
        unreadable = false;
        length = 0;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var size = RandomAccess.GetLength(handle);
            if (size > maxBytes)
            {
                return false;
            }
            Ensure((int)size);
            int read;
            while (length < size && (read = RandomAccess.Read(handle, _buffer.AsSpan(length, (int)size - length), length)) > 0)
            {
                length += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            unreadable = true;
            return false;
        }
        return true;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int size)
    {
        if (_buffer.Length < size)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(size);
        }
    }
}
