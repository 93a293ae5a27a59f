'use strict';
// Tag picker for the article form: search existing tags as you type (the
// admin's own autocomplete endpoint), or type a new one and press Enter or a
// comma. New tags are sent as "new:<name>" so a numeric name is never
// mistaken for the id of an existing tag.
{
    const $ = django.jQuery;

    $(function() {
        $('.tag-autocomplete').not('[name*=__prefix__]').each(function(i, element) {
            $(element).select2({
                tags: true,
                tokenSeparators: [','],
                createTag: (params) => {
                    const term = $.trim(params.term);
                    return term ? {id: 'new:' + term, text: term, newTag: true} : null;
                },
                ajax: {
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: element.dataset.appLabel,
                        model_name: element.dataset.modelName,
                        field_name: element.dataset.fieldName
                    })
                }
            });
        });
    });
}
