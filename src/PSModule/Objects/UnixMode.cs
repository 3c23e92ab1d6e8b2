using System.Globalization;

namespace Firecrest.PowerShell.Objects;

/// <summary>Unix mode bits as <c>ls</c> text and as octal.</summary>
internal static class UnixMode
{
    private const int SetUid = 0x800, SetGid = 0x400, Sticky = 0x200;

    /// <summary>The permission bits (with setuid, setgid, sticky) of <c>ls</c> text such as <c>rwsr-x--T</c>.</summary>
    public static int BitsOf(string permissions)
    {
        if (permissions.Length < 9) return 0;
        var bits = 0;
        for (var who = 0; who < 3; who++)
        {
            var r = permissions[who * 3];
            var w = permissions[who * 3 + 1];
            var x = permissions[who * 3 + 2];
            var shift = (2 - who) * 3;
            if (r == 'r') bits |= 4 << shift;
            if (w == 'w') bits |= 2 << shift;
            if (x is 'x' or 's' or 't') bits |= 1 << shift;
            if (x is 's' or 'S') bits |= who == 0 ? SetUid : SetGid;
            if (x is 't' or 'T' && who == 2) bits |= Sticky;
        }
        return bits;
    }

    /// <summary>Octal text of permission bits: three digits, four when setuid, setgid or sticky is set.</summary>
    public static string Octal(int bits) => Convert.ToString(bits & 0xFFF, 8).PadLeft((bits & 0xE00) != 0 ? 4 : 3, '0');

    /// <summary><c>ls</c> text of a raw <c>st_mode</c>, e.g. 33188 → <c>-rw-r--r--</c>.</summary>
    public static string Text(long mode)
    {
        var type = (mode & 0xF000) switch
        {
            0x4000 => 'd',
            0xA000 => 'l',
            0x2000 => 'c',
            0x6000 => 'b',
            0x1000 => 'p',
            0xC000 => 's',
            _ => '-',
        };
        var chars = new char[10];
        chars[0] = type;
        for (var who = 0; who < 3; who++)
        {
            var shift = (2 - who) * 3;
            chars[1 + who * 3] = (mode & (4 << shift)) != 0 ? 'r' : '-';
            chars[2 + who * 3] = (mode & (2 << shift)) != 0 ? 'w' : '-';
            var x = (mode & (1 << shift)) != 0;
            var special = who switch { 0 => (mode & SetUid) != 0, 1 => (mode & SetGid) != 0, _ => (mode & Sticky) != 0 };
            var letter = who == 2 ? 't' : 's';
            chars[3 + who * 3] = special ? (x ? letter : char.ToUpperInvariant(letter)) : (x ? 'x' : '-');
        }
        return new string(chars);
    }

    /// <summary>A listing time (<c>2024-05-01T12:00:00</c>, the system's local time) as a DateTime; null when unreadable.</summary>
    public static DateTime? ListingTime(string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}
