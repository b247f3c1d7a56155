using System.Buffers;
using System.Text;

namespace SpecSynth.Providers;

/// <summary>A read-only stream that passes each complete line (and the unterminated tail) through a rewrite function.
/// Lines are cut from each read with a vectorised search; a line the function leaves as it was is passed on as the bytes
/// that came in. A line <paramref name="mayChange"/> rules out (when given) is passed on without being decoded or handed to
/// <paramref name="patch"/>. The read and output buffers are rented from the shared pool and given back when the stream is
/// disposed, or, when it is disposed while a read is under way (an abandoned read still waiting on the body), when that
/// read ends: a pending read of the body can never write into a buffer the pool has handed to someone else. One read at a
/// time, as for any stream. With <paramref name="validateUtf8"/> each chunk read from the body is checked to be UTF-8 (as
/// <see cref="Utf8ValidatingStream"/> does) before its lines are looked at, so the provider's handler needs no second
/// wrapper stream for it.</summary>
internal sealed class LinePatchingStream(Stream inner, Func<string, string> patch, Func<ReadOnlySpan<byte>, bool>? mayChange = null,
    bool validateUtf8 = false)
    : ReadOnlyWrapperStream(inner)
{
    // Streamed events arrive a few hundred bytes at a time; a longer line is gathered across reads.
    private const int ReadSize = 4 * 1024;
    private const int Idle = 0;
    private const int Reading = 1;
    private const int Disposed = 2;
    private MemoryStream? pendingLine; // made when a line spans reads (most reads end with a whole line)
    private Utf8Validator validator;
    private byte[]? readBuffer = ArrayPool<byte>.Shared.Rent(ReadSize);
    private byte[]? output = ArrayPool<byte>.Shared.Rent(ReadSize);
    private int outputLength;
    private int outputOffset;
    private bool innerDone;
    private int state;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var was = Interlocked.CompareExchange(ref state, Reading, Idle);
        ObjectDisposedException.ThrowIf(was == Disposed, this);
        if (was != Idle)
        {
            throw new InvalidOperationException("The stream is already being read.");
        }
        try
        {
            while (outputOffset >= outputLength)
            {
                if (innerDone)
                {
                    return 0;
                }
                var read = await Inner.ReadAsync(readBuffer.AsMemory(0, ReadSize), cancellationToken).ConfigureAwait(false);
                // Disposed while the body was read: the read ends as disposed, nothing handed to the reader.
                ObjectDisposedException.ThrowIf(Volatile.Read(ref state) == Disposed, this);
                if (validateUtf8)
                {
                    validator.Check(readBuffer.AsSpan(0, read));
                }
                Fill(read);
            }
            var count = Math.Min(buffer.Length, outputLength - outputOffset);
            output.AsMemory(outputOffset, count).CopyTo(buffer);
            outputOffset += count;
            return count;
        }
        finally
        {
            if (Interlocked.CompareExchange(ref state, Idle, Reading) == Disposed)
            {
                // Disposed while this read was under way: the buffers are this read's to give back.
                ReturnBuffers();
            }
        }
    }

    private void Fill(int read)
    {
        outputLength = 0;
        outputOffset = 0;
        if (read == 0)
        {
            innerDone = true;
            FlushPending();
            return;
        }
        var data = readBuffer.AsSpan(0, read);
        for (var end = data.IndexOf((byte)'\n'); end >= 0; end = data.IndexOf((byte)'\n'))
        {
            var line = data[..(end + 1)];
            if (pendingLine is null || pendingLine.Length == 0)
            {
                Emit(line);
            }
            else
            {
                pendingLine.Write(line);
                FlushPending();
            }
            data = data[(end + 1)..];
        }
        if (!data.IsEmpty)
        {
            (pendingLine ??= new MemoryStream()).Write(data);
        }
    }

    private void FlushPending()
    {
        if (pendingLine is null || pendingLine.Length == 0)
        {
            return;
        }
        Emit(pendingLine.GetBuffer().AsSpan(0, (int)pendingLine.Length));
        pendingLine.SetLength(0);
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (mayChange is not null && !mayChange(bytes))
        {
            Append(bytes);
            return;
        }
        var line = Encoding.UTF8.GetString(bytes);
        var patched = patch(line);
        if (ReferenceEquals(patched, line) || patched == line)
        {
            Append(bytes);
        }
        else
        {
            Append(Encoding.UTF8.GetBytes(patched));
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var buffer = output!;
        if (buffer.Length - outputLength < bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, outputLength + bytes.Length));
            buffer.AsSpan(0, outputLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            output = buffer = larger;
        }
        bytes.CopyTo(buffer.AsSpan(outputLength));
        outputLength += bytes.Length;
    }

    private void ReturnBuffers()
    {
        if (readBuffer is { } read)
        {
            readBuffer = null;
            ArrayPool<byte>.Shared.Return(read);
        }
        if (output is { } written)
        {
            output = null;
            ArrayPool<byte>.Shared.Return(written);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pendingLine?.Dispose();
            if (Interlocked.Exchange(ref state, Disposed) == Idle)
            {
                ReturnBuffers();
            }
        }
        base.Dispose(disposing);
    }
}
