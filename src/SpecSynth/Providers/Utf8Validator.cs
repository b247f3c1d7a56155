using System.Buffers;
using System.Text.Unicode;

namespace SpecSynth.Providers;

/// <summary>
/// Checks that a body read chunk by chunk is UTF-8: every byte of a chunk that <see cref="Check"/> accepts is part of a
/// sequence valid so far; an invalid sequence throws <see cref="InvalidUtf8Exception"/>, and so does a body that ends (an
/// empty chunk) inside a sequence. A sequence split across chunks is carried over (at most 3 bytes), so any chunking is
/// accepted. A mutable struct: kept in a field of the stream that reads the body (no object of its own per response).
/// </summary>
internal struct Utf8Validator
{
    private uint _carry; // the carried bytes, first in the lowest byte
    private int _carried;
    private long _offset;

    /// <summary>Checks <paramref name="chunk"/> after what was carried from the previous one; an empty chunk is the end.</summary>
    /// <exception cref="InvalidUtf8Exception">The bytes so far are not UTF-8, or the body ended inside a sequence.</exception>
    public void Check(ReadOnlySpan<byte> chunk)
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
            Span<byte> carry = stackalloc byte[4];
            for (var i = 0; i < _carried; i++)
            {
                carry[i] = (byte)(_carry >> (8 * i));
            }
            while (_carried < 4 && head < chunk.Length)
            {
                carry[_carried++] = chunk[head++];
                var status = Validate(carry[.._carried], out var consumed);
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
                Carry(carry[.._carried]);
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
        Carry(rest[valid..]);
    }

    private void Carry(ReadOnlySpan<byte> bytes)
    {
        _carry = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            _carry |= (uint)bytes[i] << (8 * i);
        }
        _carried = bytes.Length;
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
