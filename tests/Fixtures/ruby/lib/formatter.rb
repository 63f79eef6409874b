class BaseGreeter
end

class Formatter
  def format(text)
    text.strip
  end
end
