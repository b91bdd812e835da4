/* The ontology docs page: the filter box hides the terms whose CURIE and labels do not contain the text. */
document.getElementById('q').addEventListener('input', function () {
  var q = this.value.trim().toLowerCase();
  document.querySelectorAll('.term').forEach(function (el) {
    el.classList.toggle('hidden', q !== '' && el.getAttribute('data-search').indexOf(q) < 0);
  });
});
