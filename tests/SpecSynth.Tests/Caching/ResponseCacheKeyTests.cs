using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Caching;

namespace SpecSynth.Tests.Caching;

/// <summary>The cache key of long texts (many buffers' worth, multi-byte characters on every buffer boundary, a lone
/// surrogate) is the SHA-256 of exactly the bytes <see cref="ResponseCacheKey"/> documents, built here byte by byte.</summary>
public sealed class ResponseCacheKeyTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "short",
        new string('a', 40_000),
        string.Concat(Enumerable.Range(0, 30_000).Select(i => i % 7 == 0 ? "\u00e9" : i % 11 == 0 ? "\u20ac" : i % 13 == 0 ? "\ud83d\ude00" : "x")),
        string.Concat(Enumerable.Repeat("\u20ac", 16_385)),
        new string('b', 20_000) + "\ud800" + new string('c', 20_000),
        "\udc00" + new string('d', 10),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void TheKey_IsTheHashOfTheDocumentedBytes(string text)
    {
        List<ChatMessage> messages = [new(ChatRole.User, text)];

        var key = ResponseCacheCodec.Key(messages, null, [], []);

        Assert.Equal(Reference(text), key);
    }

    [Fact]
    public void TheSameRequestTwice_OnOneThread_HasTheSameKey()
    {
        List<ChatMessage> messages = [new(ChatRole.System, "s"), new(ChatRole.User, new string('q', 50_000))];
        var options = new ChatOptions { MaxOutputTokens = 10, StopSequences = ["END"] };

        Assert.Equal(ResponseCacheCodec.Key(messages, options, ["v"], ["t"]), ResponseCacheCodec.Key(messages, options, ["v"], ["t"]));
    }

    /// <summary>'V', no values; one message: 'M', its role, no author, id or time, one plain text content without
    /// properties, no message properties; 'E'; no options ('0').</summary>
    private static string Reference(string text)
    {
        var bytes = new List<byte>();
        void Tag(char c) => bytes.Add((byte)c);
        void Int(int v)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, v);
            bytes.AddRange(b);
        }
        void Long(long v)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, v);
            bytes.AddRange(b);
        }
        void Text(string s)
        {
            Long(s.Length);
            for (var i = 0; i < s.Length; i++)
            {
                if (char.IsSurrogate(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
                {
                    Tag((char)0xFF);
                    foreach (var c in s[i..])
                    {
                        bytes.Add((byte)(c & 0xFF));
                        bytes.Add((byte)(c >> 8));
                    }
                    return;
                }
                var length = char.IsHighSurrogate(s[i]) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(s.Substring(i, length)));
                i += length - 1;
            }
        }
        Tag('V');
        Int(0);
        Tag('M');
        Text("user");
        Tag('0');
        Tag('0');
        Tag('0');
        Int(1);
        Tag('t');
        Text(text);
        Tag('0');
        Tag('0');
        Tag('E');
        Tag('0');
        return Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));
    }
}
