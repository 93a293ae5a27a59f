'use strict';
// The story list's drop-down filters (tag, author, place): choosing an entry
// applies it at once; without scripts, the button next to it does.
document.addEventListener('change', (event) => {
    if (event.target.matches('.choose-filter select')) {
        event.target.form.submit();
    }
});
