using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace BudgetActors.Alerts;

/// <summary>
/// Which IP addresses a channel may not reach unless private networks are allowed: anything that
/// is not a public unicast address. Server-side request forgery aims at what only the server can
/// reach — loopback services, the LAN, a cloud's metadata endpoint (169.254.169.254, fd00:ec2::254,
/// 100.100.100.200) — so every special-purpose block of the IANA registries is refused, and
/// addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that address.
/// </summary>
public static class AddressRules
{
    private static readonly (uint Network, int Bits, string Kind)[] V4Blocks =
    [
        (V4(0, 0, 0, 0), 8, "unspecified (0.0.0.0/8)"),
        (V4(10, 0, 0, 0), 8, "private (RFC 1918)"),
        (V4(100, 64, 0, 0), 10, "shared (CGNAT, 100.64.0.0/10)"),
        (V4(127, 0, 0, 0), 8, "loopback"),
        (V4(169, 254, 0, 0), 16, "link-local (169.254.0.0/16, cloud metadata)"),
        (V4(172, 16, 0, 0), 12, "private (RFC 1918)"),
        (V4(192, 0, 0, 0), 24, "reserved (IETF protocol assignments)"),
        (V4(192, 0, 2, 0), 24, "documentation"),
        (V4(192, 88, 99, 0), 24, "reserved (6to4 relay)"),
        (V4(192, 168, 0, 0), 16, "private (RFC 1918)"),
        (V4(198, 18, 0, 0), 15, "reserved (benchmarking)"),
        (V4(198, 51, 100, 0), 24, "documentation"),
        (V4(203, 0, 113, 0), 24, "documentation"),
        (V4(224, 0, 0, 0), 4, "multicast"),
        (V4(240, 0, 0, 0), 4, "reserved (240.0.0.0/4, broadcast)"),
    ];

    /// <summary>Null for a public unicast address; otherwise what kind of address it is, for messages.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var embedded = BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]);

        if (high == 0 && low == 0)
        {
            return "unspecified (::)";
        }

        if (high == 0 && low == 1)
        {
            return "loopback (::1)";
        }

        if (high == 0 && (low >> 32) == 0xFFFF)
        {
            // ::ffff:a.b.c.d is the IPv4 address a.b.c.d to a dual-stack socket.
            return ClassifyV4(embedded) is { } kind ? $"{kind}, IPv4-mapped" : null;
        }

        if (high == 0)
        {
            return "reserved (IPv4-compatible, ::/96)";
        }

        if (high == 0x0064_FF9B_0000_0000 && (low >> 32) == 0)
        {
            // NAT64 (64:ff9b::/96): a gateway would forward to the embedded IPv4 address.
            return ClassifyV4(embedded) is { } kind ? $"{kind}, via NAT64" : null;
        }

        var first16 = (ushort)(high >> 48);
        if (first16 == 0x2002)
        {
            // 6to4 (2002::/16) carries an IPv4 address in bits 16–47.
            var v4 = (uint)(high >> 16);
            return ClassifyV4(v4) is { } kind ? $"{kind}, via 6to4" : null;
        }

        return (high >> 32) switch
        {
            0x0064_FF9B when ((high >> 16) & 0xFFFF) == 0x0001 => "reserved (local-use NAT64, 64:ff9b:1::/48)",
            0x0100_0000 when (high & 0xFFFF_FFFF) == 0 => "reserved (discard-only, 100::/64)",
            0x2001_0000 => "reserved (Teredo tunnel, 2001::/32)",
            0x2001_0DB8 => "documentation (2001:db8::/32)",
            _ => (first16 & 0xFE00) == 0xFC00 ? "unique local (fc00::/7)"
                : (first16 & 0xFFC0) == 0xFE80 ? "link-local (fe80::/10)"
                : (first16 & 0xFFC0) == 0xFEC0 ? "site-local (fec0::/10)"
                : (first16 & 0xFF00) == 0xFF00 ? "multicast (ff00::/8)"
                : null,
        };
    }

    public static bool IsPublic(IPAddress address) => Classify(address) is null;

    private static string? ClassifyV4(uint address)
    {
        foreach (var (network, bits, kind) in V4Blocks)
        {
            var mask = uint.MaxValue << (32 - bits);
            if ((address & mask) == network)
            {
                return kind;
            }
        }

        return null;
    }

    private static uint V4(byte a, byte b, byte c, byte d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;
}
