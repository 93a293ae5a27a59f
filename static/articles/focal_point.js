// The picture library's focal point: click the picture, and the point every
// crop keeps in view moves there (the focal x and y fields below it).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picture = document.querySelector("img[data-focal-point]");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!picture || !x || !y) return;
  const marker = picture.parentElement.querySelector(".focal-marker");

  function show() {
    marker.style.left = `${Number(x.value) * 100}%`;
    marker.style.top = `${Number(y.value) * 100}%`;
    marker.hidden = false;
  }

  picture.addEventListener("click", (event) => {
    const box = picture.getBoundingClientRect();
    const fraction = (offset, length) => Math.min(Math.max(offset / length, 0), 1).toFixed(4);
    x.value = fraction(event.clientX - box.left, box.width);
    y.value = fraction(event.clientY - box.top, box.height);
    show();
  });
  x.addEventListener("input", show);
  y.addEventListener("input", show);
  show();
});
