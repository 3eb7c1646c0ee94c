using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.Components.Shared;

/// <summary>
/// Use instead of <see cref="DataAnnotationsValidator"/>: it checks the form with the server's own rules
/// (<see cref="FormValidation"/>), so a submit shows every problem at once — the form's cross-field rules too, which
/// DataAnnotationsValidator skips while any single field is wrong. Each field gets one message (MudBlazor's inputs
/// show only the first), all of that field's problems joined.
/// </summary>
public sealed class FormValidator : ComponentBase, IDisposable
{
    private EditContext? _subscribed;
    private ValidationMessageStore? _messages;

    [CascadingParameter]
    private EditContext? EditContext { get; set; }

    protected override void OnParametersSet()
    {
        if (EditContext is null)
        {
            throw new InvalidOperationException($"{nameof(FormValidator)} belongs inside an EditForm.");
        }

        if (ReferenceEquals(EditContext, _subscribed))
        {
            return;
        }

        Unsubscribe();
        _subscribed = EditContext;
        _messages = new ValidationMessageStore(EditContext);
        EditContext.OnValidationRequested += ValidateAll;
        EditContext.OnFieldChanged += ValidateField;
    }

    private void ValidateAll(object? sender, ValidationRequestedEventArgs e)
    {
        _messages!.Clear();
        foreach (var (member, messages) in FormValidation.Errors(_subscribed!.Model))
        {
            _messages.Add(_subscribed.Field(member), string.Join(" ", messages));
        }

        _subscribed.NotifyValidationStateChanged();
    }

    // While typing, a field's own message updates, and so do messages already shown elsewhere (a cross-field rule
    // such as "choose at least one API" clears when another box is ticked); untouched fields stay quiet.
    private void ValidateField(object? sender, FieldChangedEventArgs e)
    {
        var errors = FormValidation.Errors(_subscribed!.Model);
        foreach (var field in ShownFields().Append(e.FieldIdentifier).Distinct().ToList())
        {
            _messages!.Clear(field);
            if (field.Model == _subscribed.Model && errors.TryGetValue(field.FieldName, out var messages))
            {
                _messages.Add(field, string.Join(" ", messages));
            }
        }

        _subscribed.NotifyValidationStateChanged();
    }

    private IEnumerable<FieldIdentifier> ShownFields()
        => _subscribed!.Model.GetType().GetProperties()
            .Select(p => _subscribed.Field(p.Name))
            .Where(f => _subscribed.GetValidationMessages(f).Any());

    private void Unsubscribe()
    {
        if (_subscribed is not null)
        {
            _subscribed.OnValidationRequested -= ValidateAll;
            _subscribed.OnFieldChanged -= ValidateField;
            _messages?.Clear();
        }
    }

    public void Dispose() => Unsubscribe();
}
