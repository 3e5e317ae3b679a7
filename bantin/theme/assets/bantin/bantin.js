// Bản tin reading tools. Progressive enhancement: pages read fully without this script.
