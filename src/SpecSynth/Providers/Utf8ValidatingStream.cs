using System.Buffers;
using System.Text.Unicode;

namespace SpecSynth.Providers;

/// <summary>
/// A read-only stream that passes its source's bytes through unchanged while checking they are UTF-8. Every byte handed
/// to the reader is part of a valid sequence so far: an invalid sequence throws <see cref="InvalidUtf8Exception"/>
/// before it is returned, and a body that ends inside a sequence throws at the end. A sequence split across reads is
/// carried over, so any chunking is accepted.
/// </summary>
internal sealed class Utf8ValidatingStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    private readonly byte[] _carry = new byte[4];
    private int _carried;
    private long _offset;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        Check(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..read]);
        return read;
    }

    /// <summary>Checks <paramref name="chunk"/> after what was carried from the previous read; an empty chunk is the end.</summary>
    private void Check(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            if (_carried > 0)
            {
                throw new InvalidUtf8Exception(_offset);
            }
            return;
        }
        // The carried bytes (an incomplete sequence, at most 3) are completed from the start of the chunk first.
        var head = 0;
        if (_carried > 0)
        {
            while (_carried < 4 && head < chunk.Length)
            {
                _carry[_carried++] = chunk[head++];
                var status = Validate(_carry.AsSpan(0, _carried), out var consumed);
                if (status == OperationStatus.InvalidData)
                {
                    throw new InvalidUtf8Exception(_offset);
                }
                if (status == OperationStatus.Done)
                {
                    _offset += consumed;
                    _carried = 0;
                    break;
                }
            }
            if (_carried > 0)
            {
                return; // still incomplete: the chunk was shorter than the sequence
            }
        }
        var rest = chunk[head..];
        if (Utf8.IsValid(rest))
        {
            _offset += rest.Length; // the usual case: whole sequences only, checked without decoding
            return;
        }
        var result = Validate(rest, out var valid);
        if (result == OperationStatus.InvalidData)
        {
            throw new InvalidUtf8Exception(_offset + valid);
        }
        _offset += valid;
        rest[valid..].CopyTo(_carry);
        _carried = rest.Length - valid;
    }

    /// <summary>Validates <paramref name="bytes"/>: Done, NeedMoreData (ends inside a sequence) or InvalidData, with the
    /// length of the valid prefix.</summary>
    private static OperationStatus Validate(ReadOnlySpan<byte> bytes, out int valid)
    {
        Span<char> sink = stackalloc char[256];
        valid = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(bytes[valid..], sink, out var read, out _, replaceInvalidSequences: false, isFinalBlock: false);
            valid += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return status;
            }
        }
    }
}
