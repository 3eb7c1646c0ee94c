using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Infrastructure;
using static OpenBanking.Sandbox.Accounts.AccountInformationMapping;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The transactions page of one account on SQLite, read with prepared commands and written straight from the rows to
/// JSON: no entities, no payload objects. The bytes are those <see cref="AccountQueries.TransactionPageAsync"/> with
/// <see cref="AccountInformationMapping.ToTransaction"/> and the generated serializer write (the same SQL, the same
/// members in the same order, the same formats), which stays the path for SQL Server and for several accounts.
/// </summary>
/// <remarks>
/// The commands live on connections of their own, kept open here: Microsoft.Data.Sqlite disposes a connection's
/// commands when it closes, and EF Core closes its connection after every query, so commands prepared on the
/// context's connection would be prepared again on every request (SQLite's parse and plan of a 30-column SELECT).
/// Each pooled connection prepares each variant of the SQL (direction filter, window bounds) once. The read is
/// synchronous (Microsoft.Data.Sqlite's async is too), so a connection is held only while one request reads.
/// </remarks>
public sealed class SqliteTransactionPages : IDisposable
{
    private readonly ConcurrentBag<ReadConnection> _idle = [];
    private readonly int _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private string? _connectionString;
    private bool _disposed;

    /// <summary>Whether the page can be read here: SQLite in a file (other connections see the same data), one account.</summary>
    public bool Serves(SandboxDbContext db, string[] ids)
    {
        if (ids.Length != 1 || _disposed || !db.Database.IsSqlite())
        {
            return false;
        }

        var connectionString = db.Database.GetConnectionString();
        if (connectionString is null)
        {
            return false;
        }

        if (_connectionString is { } known)
        {
            return string.Equals(known, connectionString, StringComparison.Ordinal);
        }

        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _connectionString, connectionString, null);
        return string.Equals(_connectionString, connectionString, StringComparison.Ordinal);
    }

    /// <summary>The page as JSON: Data.Transaction, Links, Meta. The caller has checked <see cref="Serves"/>.</summary>
    public AisJson<TransactionData> Write(
        AisRequest request, AisAccess access, string accountId, TransactionWindow window, bool detail, int page, int pageSize, DateTime now)
    {
        var current = Math.Max(page, 1);
        var credits = access.Has(Consents.AccountAccessPermission.ReadTransactionsCredits);
        var debits = access.Has(Consents.AccountAccessPermission.ReadTransactionsDebits);
        var oneDirection = credits != debits;

        using var buffer = new PooledBufferWriter();
        var connection = Rent();
        try
        {
            // As AccountQueries.TransactionPageAsync: the account's counters, a real count only for a window, then the page.
            var (opening, total) = connection.Counts(accountId, oneDirection, credits, debits, window);
            var totalPages = Math.Max(1, (total + pageSize - 1) / pageSize);
            var firstAvailable = TransactionWindow.Later(opening ?? now, access.Consent.TransactionFromDateTime?.UtcDateTime);
            var lastAvailable = TransactionWindow.Earlier(now, access.Consent.TransactionToDateTime?.UtcDateTime);

            using var writer = new Utf8JsonWriter(buffer, AisJsonWriting.Options);
            writer.WriteStartObject();
            writer.WritePropertyName(Names.Data);
            writer.WriteStartObject();
            writer.WritePropertyName(Names.Transaction);
            writer.WriteStartArray();
            using (var rows = connection.Page(accountId, oneDirection, credits, window, (current - 1) * pageSize, pageSize))
            {
                var row = new TransactionRowWriter(writer, detail, access, request.Codes);
                while (rows.Read())
                {
                    row.Write(rows);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            WriteLinks(writer, request.PageLinks(current, totalPages));
            writer.WritePropertyName(Names.Meta);
            writer.WriteStartObject();
            writer.WriteNumber(Names.TotalPages, totalPages);
            writer.WriteString(Names.FirstAvailableDateTime, Utc(firstAvailable));
            writer.WriteString(Names.LastAvailableDateTime, Utc(lastAvailable));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            Return(connection);
            connection = null;
        }
        finally
        {
            // A connection whose read failed is not trusted again.
            connection?.Dispose();
        }

        return buffer.Detach<TransactionData>();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private static void WriteLinks(Utf8JsonWriter writer, Links links)
    {
        writer.WritePropertyName(Names.Links);
        writer.WriteStartObject();
        writer.WriteString(Names.Self, links.Self);
        WriteIfAny(writer, Names.First, links.First);
        WriteIfAny(writer, Names.Prev, links.Prev);
        WriteIfAny(writer, Names.Next, links.Next);
        WriteIfAny(writer, Names.Last, links.Last);
        writer.WriteEndObject();
    }

    private static void WriteIfAny(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private ReadConnection Rent()
    {
        if (_idle.TryTake(out var connection))
        {
            return connection;
        }

        return new ReadConnection(_connectionString ?? throw new InvalidOperationException("No SQLite database has been seen yet."));
    }

    private void Return(ReadConnection connection)
    {
        if (_disposed || _idle.Count >= _maxIdle)
        {
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    /// <summary>An open connection and the commands prepared on it, used by one request at a time.</summary>
    private sealed class ReadConnection : IDisposable
    {
        // The members of a page, in the order TransactionRowWriter reads them.
        private const string Columns = """
            "AccountId", "TransactionId", "Reference", "IsCredit", "Status", "BookingDateTime", "ValueDateTime", "Information",
            "AmountMinor", "Currency", "BankCode", "BankSubCode", "ProprietaryCode", "BalanceAfterMinor", "MerchantName",
            "MerchantCategoryCode", "CounterpartySchemeName", "CounterpartyIdentification", "CounterpartyName", "CardPan",
            "ChargeMinor", "ChargeCurrency", "FxSourceCurrency", "FxRate", "FxTargetCurrency", "FxUnitCurrency", "FxContractId",
            "FxQuotationDate", "FxInstructedAmount", "FxInstructedCurrency"
            """;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand?[] _pages = new SqliteCommand?[8];
        private readonly SqliteCommand?[] _counts = new SqliteCommand?[8];
        private SqliteCommand? _account;

        public ReadConnection(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
        }

        /// <summary>The account's opening date (null when it is not there) and the number of rows the page's filters match.</summary>
        public (DateTime? Opening, int Total) Counts(string accountId, bool oneDirection, bool credits, bool debits, TransactionWindow window)
        {
            var account = _account ??= Prepare("""SELECT "OpeningDate", "TransactionCount", "CreditTransactionCount" FROM "Accounts" WHERE "Id" = $id""", "$id");
            account.Parameters[0].Value = accountId;
            DateTime? opening = null;
            var total = 0;
            using (var reader = account.ExecuteReader(CommandBehavior.SingleRow))
            {
                if (reader.Read())
                {
                    opening = reader.GetDateTime(0);
                    var all = reader.GetInt32(1);
                    var creditCount = reader.GetInt32(2);
                    total = credits && debits ? all : credits ? creditCount : all - creditCount;
                }
            }

            if (window.IsOpen)
            {
                return (opening, total);
            }

            var variant = Variant(oneDirection, window);
            var count = _counts[variant] ??= Prepare("SELECT COUNT(*) FROM \"Transactions\"" + Where(variant), [.. Parameters(variant)]);
            Bind(count, variant, accountId, credits, window);
            return (opening, Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        /// <summary>The page's rows, newest first (the order of the (AccountId, BookingDateTime, Id) index).</summary>
        public SqliteDataReader Page(string accountId, bool oneDirection, bool credits, TransactionWindow window, int skip, int take)
        {
            var variant = Variant(oneDirection, window);
            var page = _pages[variant] ??= Prepare(
                $"SELECT {Columns} FROM \"Transactions\"{Where(variant)} ORDER BY \"BookingDateTime\" DESC, \"Id\" DESC LIMIT $take OFFSET $skip",
                [.. Parameters(variant), "$take", "$skip"]);
            var parameters = Bind(page, variant, accountId, credits, window);
            page.Parameters[parameters].Value = take;
            page.Parameters[parameters + 1].Value = skip;
            return page.ExecuteReader();
        }

        public void Dispose()
        {
            foreach (var command in _pages.Concat(_counts).Append(_account))
            {
                command?.Dispose();
            }

            _connection.Dispose();
        }

        // Bit 0: one direction only; bit 1: a lower bound; bit 2: an upper bound. A missing filter is left out of the SQL,
        // as EF Core leaves out a null bound, so SQLite plans each shape for the index.
        private static int Variant(bool oneDirection, TransactionWindow window)
            => (oneDirection ? 1 : 0) | (window.From is null ? 0 : 2) | (window.To is null ? 0 : 4);

        private static string Where(int variant)
            => " WHERE \"AccountId\" = $id"
                + ((variant & 1) != 0 ? " AND \"IsCredit\" = $credit" : "")
                + ((variant & 2) != 0 ? " AND \"BookingDateTime\" >= $from" : "")
                + ((variant & 4) != 0 ? " AND \"BookingDateTime\" <= $to" : "");

        private static List<string> Parameters(int variant)
        {
            List<string> names = ["$id"];
            if ((variant & 1) != 0)
            {
                names.Add("$credit");
            }

            if ((variant & 2) != 0)
            {
                names.Add("$from");
            }

            if ((variant & 4) != 0)
            {
                names.Add("$to");
            }

            return names;
        }

        /// <returns>How many parameters were set.</returns>
        private static int Bind(SqliteCommand command, int variant, string accountId, bool credits, TransactionWindow window)
        {
            // Microsoft.Data.Sqlite writes a DateTime as EF Core stores it (yyyy-MM-dd HH:mm:ss.FFFFFFF), so the text comparison holds.
            var parameters = command.Parameters;
            var i = 0;
            parameters[i++].Value = accountId;
            if ((variant & 1) != 0)
            {
                parameters[i++].Value = credits;
            }

            if (window.From is { } from)
            {
                parameters[i++].Value = from;
            }

            if (window.To is { } to)
            {
                parameters[i++].Value = to;
            }

            return i;
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            return command;
        }
    }

    /// <summary>One transaction as <see cref="ObTransaction"/> serializes it, from a row of <see cref="ReadConnection.Page"/>.</summary>
    private readonly struct TransactionRowWriter(Utf8JsonWriter writer, bool detail, AisAccess access, AisCodes codes)
    {
        private const int AccountId = 0, TransactionId = 1, Reference = 2, IsCredit = 3, Status = 4, BookingDateTime = 5, ValueDateTime = 6,
            Information = 7, AmountMinor = 8, Currency = 9, BankCode = 10, BankSubCode = 11, ProprietaryCode = 12, BalanceAfterMinor = 13,
            MerchantName = 14, MerchantCategoryCode = 15, CounterpartySchemeName = 16, CounterpartyIdentification = 17, CounterpartyName = 18,
            CardPan = 19, ChargeMinor = 20, ChargeCurrency = 21, FxSourceCurrency = 22, FxRate = 23, FxTargetCurrency = 24, FxUnitCurrency = 25,
            FxContractId = 26, FxQuotationDate = 27, FxInstructedAmount = 28, FxInstructedCurrency = 29;

        private static readonly JsonEncodedText Credit = JsonEncodedText.Encode("Credit"), Debit = JsonEncodedText.Encode("Debit"),
            Immutable = JsonEncodedText.Encode("Immutable"), Mutable = JsonEncodedText.Encode("Mutable"),
            SandboxBank = JsonEncodedText.Encode("SandboxBank"), MasterCard = JsonEncodedText.Encode("MasterCard"),
            ConsumerDevice = JsonEncodedText.Encode("ConsumerDevice");

        public void Write(SqliteDataReader row)
        {
            writer.WriteStartObject();
            writer.WriteString(Names.AccountId, row.GetString(AccountId));
            writer.WriteString(Names.TransactionId, row.GetString(TransactionId));
            WriteIfAny(writer, Names.TransactionReference, String(row, Reference));
            var isCredit = row.GetBoolean(IsCredit);
            writer.WriteString(Names.CreditDebitIndicator, isCredit ? Credit : Debit);
            var booked = row.GetString(Status) == nameof(TransactionStatus.Booked);
            writer.WriteString(Names.Status, booked ? codes.BookedTransaction : codes.PendingTransaction);
            writer.WriteString(Names.TransactionMutability, booked ? Immutable : Mutable);
            writer.WriteString(Names.BookingDateTime, Utc(StoredDateTime(row, BookingDateTime)));
            writer.WriteString(Names.ValueDateTime, Utc(StoredDateTime(row, ValueDateTime)));
            var information = String(row, Information);
            if (detail)
            {
                WriteIfAny(writer, Names.TransactionInformation, information);
            }

            var amount = row.GetInt64(AmountMinor);
            var currency = row.GetString(Currency);
            WriteAmount(writer, Names.Amount, amount, currency);

            writer.WritePropertyName(Names.BankTransactionCode);
            writer.WriteStartObject();
            WriteIfAny(writer, Names.Code, String(row, BankCode));
            WriteIfAny(writer, Names.SubCode, String(row, BankSubCode));
            writer.WriteEndObject();

            writer.WritePropertyName(Names.ProprietaryBankTransactionCode);
            writer.WriteStartObject();
            WriteIfAny(writer, Names.Code, String(row, ProprietaryCode));
            writer.WriteString(Names.Issuer, SandboxBank);
            writer.WriteEndObject();

            long? balance = row.IsDBNull(BalanceAfterMinor) ? null : row.GetInt64(BalanceAfterMinor);
            if (detail && balance is { } after)
            {
                writer.WritePropertyName(Names.Balance);
                writer.WriteStartObject();
                writer.WriteString(Names.CreditDebitIndicator, after >= 0 ? Credit : Debit);
                writer.WriteString(Names.Type, codes.InterimBooked);
                WriteAmount(writer, Names.Amount, after, currency);
                writer.WriteEndObject();
            }

            var merchantName = String(row, MerchantName);
            var merchantCategory = String(row, MerchantCategoryCode);
            if (detail && merchantName is not null)
            {
                writer.WritePropertyName(Names.MerchantDetails);
                writer.WriteStartObject();
                writer.WriteString(Names.MerchantName, merchantName);
                WriteIfAny(writer, Names.MerchantCategoryCode, merchantCategory);
                writer.WriteEndObject();
            }

            var scheme = String(row, CounterpartySchemeName);
            var identification = String(row, CounterpartyIdentification);
            var counterpartyName = String(row, CounterpartyName);
            if (detail && identification is not null)
            {
                writer.WritePropertyName(isCredit ? Names.DebtorAccount : Names.CreditorAccount);
                writer.WriteStartObject();
                WriteIfAny(writer, Names.SchemeName, scheme);
                writer.WriteString(Names.Identification, MaskPan(scheme!, identification, access));
                WriteIfAny(writer, Names.Name, counterpartyName);
                writer.WriteEndObject();
            }

            if (String(row, CardPan) is { } pan)
            {
                writer.WritePropertyName(Names.CardInstrument);
                writer.WriteStartObject();
                writer.WriteString(Names.CardSchemeName, MasterCard);
                writer.WriteString(Names.AuthorisationType, ConsumerDevice);
                writer.WriteString(Names.Identification, pan);
                writer.WriteEndObject();
            }

            long? charge = row.IsDBNull(ChargeMinor) ? null : row.GetInt64(ChargeMinor);
            var chargeCurrency = String(row, ChargeCurrency);
            if (charge is { } chargeMinor)
            {
                WriteAmount(writer, Names.ChargeAmount, chargeMinor, chargeCurrency ?? currency);
            }

            var source = String(row, FxSourceCurrency);
            decimal? rate = row.IsDBNull(FxRate) ? null : row.GetDecimal(FxRate);
            if (source is not null && rate is { } exchangeRate)
            {
                WriteCurrencyExchange(row, source, exchangeRate);
            }

            writer.WriteEndObject();
        }

        private void WriteCurrencyExchange(SqliteDataReader row, string source, decimal rate)
        {
            writer.WritePropertyName(Names.CurrencyExchange);
            writer.WriteStartObject();
            writer.WriteString(Names.SourceCurrency, source);
            WriteIfAny(writer, Names.TargetCurrency, String(row, FxTargetCurrency));
            WriteIfAny(writer, Names.UnitCurrency, String(row, FxUnitCurrency));
            writer.WriteNumber(Names.ExchangeRate, rate);
            WriteIfAny(writer, Names.ContractIdentification, String(row, FxContractId));
            if (!row.IsDBNull(FxQuotationDate))
            {
                writer.WriteString(Names.QuotationDate, Timestamps.WholeSeconds(row.GetDateTimeOffset(FxQuotationDate)));
            }

            if (String(row, FxInstructedAmount) is { } instructed && String(row, FxInstructedCurrency) is { } instructedCurrency)
            {
                writer.WritePropertyName(Names.InstructedAmount);
                writer.WriteStartObject();
                writer.WriteString(Names.Amount, instructed);
                writer.WriteString(Names.Currency, instructedCurrency);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        private static string? String(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

        /// <summary>
        /// A DateTime as EF Core stores it on SQLite (yyyy-MM-dd HH:mm:ss with up to seven fraction digits, trailing zeros
        /// dropped), read without the general parser; any other form is read as Microsoft.Data.Sqlite reads it.
        /// </summary>
        private static DateTime StoredDateTime(SqliteDataReader row, int ordinal)
        {
            var text = row.GetString(ordinal);
            return TryParseStored(text, out var value) ? value : DateTime.Parse(text, CultureInfo.InvariantCulture);
        }

        private static bool TryParseStored(ReadOnlySpan<char> s, out DateTime value)
        {
            value = default;
            if (s.Length is < 19 or 20 or > 27 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || (s.Length > 19 && s[19] != '.'))
            {
                return false;
            }

            if (!Digits(s[..4], out var year) || !Digits(s[5..7], out var month) || !Digits(s[8..10], out var day)
                || !Digits(s[11..13], out var hour) || !Digits(s[14..16], out var minute) || !Digits(s[17..19], out var second)
                || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            var ticks = 0;
            if (s.Length > 19)
            {
                var fraction = s[20..];
                if (!Digits(fraction, out ticks))
                {
                    return false;
                }

                for (var i = fraction.Length; i < 7; i++)
                {
                    ticks *= 10;
                }
            }

            value = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
            return true;
        }

        private static bool Digits(ReadOnlySpan<char> s, out int value)
        {
            value = 0;
            foreach (var c in s)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                value = value * 10 + (c - '0');
            }

            return true;
        }
    }

    /// <summary>An <see cref="ObAmount"/>: <see cref="Money.Format(long, string)"/>'s text, written without a string.</summary>
    internal static void WriteAmount(Utf8JsonWriter writer, JsonEncodedText name, long minor, string currency)
    {
        Span<byte> text = stackalloc byte[32];
        var length = FormatAmount(minor, currency, text);
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        writer.WriteString(Names.Amount, text[..length]);
        writer.WriteString(Names.Currency, currency);
        writer.WriteEndObject();
    }

    /// <summary>The amount as <see cref="Money.Format(long, string)"/> writes it, in UTF-8: the currency's decimal places, no sign.</summary>
    internal static int FormatAmount(long minor, string currency, Span<byte> destination)
    {
        var units = Math.Abs(minor);
        var exponent = Currencies.Exponent(currency);
        if (exponent == 0)
        {
            units.TryFormat(destination, out var whole, default, CultureInfo.InvariantCulture);
            return whole;
        }

        var perMajor = exponent == 3 ? 1000 : 100;
        (units / perMajor).TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        destination[written++] = (byte)'.';
        (units % perMajor).TryFormat(destination[written..], out var fraction, exponent == 3 ? "D3" : "D2", CultureInfo.InvariantCulture);
        return written + fraction;
    }

    /// <summary>The member names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Data = E("Data"), Transaction = E("Transaction"), Links = E("Links"), Meta = E("Meta"),
            Self = E("Self"), First = E("First"), Prev = E("Prev"), Next = E("Next"), Last = E("Last"), TotalPages = E("TotalPages"),
            FirstAvailableDateTime = E("FirstAvailableDateTime"), LastAvailableDateTime = E("LastAvailableDateTime"),
            AccountId = E("AccountId"), TransactionId = E("TransactionId"), TransactionReference = E("TransactionReference"),
            CreditDebitIndicator = E("CreditDebitIndicator"), Status = E("Status"), TransactionMutability = E("TransactionMutability"),
            BookingDateTime = E("BookingDateTime"), ValueDateTime = E("ValueDateTime"), TransactionInformation = E("TransactionInformation"),
            Amount = E("Amount"), Currency = E("Currency"), BankTransactionCode = E("BankTransactionCode"), Code = E("Code"),
            SubCode = E("SubCode"), ProprietaryBankTransactionCode = E("ProprietaryBankTransactionCode"), Issuer = E("Issuer"),
            Balance = E("Balance"), Type = E("Type"), MerchantDetails = E("MerchantDetails"), MerchantName = E("MerchantName"),
            MerchantCategoryCode = E("MerchantCategoryCode"), CreditorAccount = E("CreditorAccount"), DebtorAccount = E("DebtorAccount"),
            SchemeName = E("SchemeName"), Identification = E("Identification"), Name = E("Name"), CardInstrument = E("CardInstrument"),
            CardSchemeName = E("CardSchemeName"), AuthorisationType = E("AuthorisationType"), ChargeAmount = E("ChargeAmount"),
            CurrencyExchange = E("CurrencyExchange"), SourceCurrency = E("SourceCurrency"), TargetCurrency = E("TargetCurrency"),
            UnitCurrency = E("UnitCurrency"), ExchangeRate = E("ExchangeRate"), ContractIdentification = E("ContractIdentification"),
            QuotationDate = E("QuotationDate"), InstructedAmount = E("InstructedAmount");

        private static JsonEncodedText E(string name) => JsonEncodedText.Encode(name);
    }
}
