using Microsoft.AspNetCore.Components.Forms;
using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.Components.Shared;

/// <summary>Puts the server's refusal of a form on the fields it names; what names no field is returned for a summary.</summary>
public sealed class ServerErrors
{
    private readonly EditContext _editContext;
    private readonly ValidationMessageStore _messages;

    public ServerErrors(EditContext editContext)
    {
        _editContext = editContext;
        _messages = new ValidationMessageStore(editContext);
        editContext.OnFieldChanged += (_, e) =>
        {
            _messages.Clear(e.FieldIdentifier);
            General = [];
        };
    }

    public IReadOnlyList<string> General { get; private set; } = [];

    public void Clear()
    {
        _messages.Clear();
        General = [];
        _editContext.NotifyValidationStateChanged();
    }

    /// <summary>Shows a refusal: a validation failure on its fields, any other refusal above the form.</summary>
    public void Show(PortalRefusalException refusal)
    {
        var errors = refusal is PortalValidationException validation
            ? validation.Errors
            : new Dictionary<string, string[]> { [""] = [refusal.Message] };
        var general = new List<string>();
        var model = _editContext.Model.GetType();
        foreach (var (field, messages) in errors)
        {
            var property = string.IsNullOrEmpty(field) ? null : char.ToUpperInvariant(field[0]) + field[1..];
            if (property is not null && model.GetProperty(property) is not null)
            {
                // One message per field: MudBlazor inputs show only the first, and every problem must show.
                _messages.Add(_editContext.Field(property), string.Join(" ", messages));
            }
            else
            {
                general.AddRange(messages);
            }
        }

        General = general;
        _editContext.NotifyValidationStateChanged();
    }
}
